import { AudioTooLargeError, UnsupportedAudioError } from '../../lib/ai/transcribe/errors';
import { InvalidOggOpusError, isOggOpus, readOggOpusInfo } from '../../lib/ai/transcribe/ogg-opus';
import {
  assertAudioSize,
  audioDurationSeconds,
  audioExtension,
  audioFileName,
  TELEGRAM_DOWNLOAD_LIMIT_BYTES,
  WHISPER_MAX_AUDIO_BYTES,
} from '../../lib/ai/transcribe/transcriber';
import { loadVoiceFixtures } from '../fixtures/voice/voice-fixtures';

const [LUNCH] = loadVoiceFixtures();

describe('audioFileName', () => {
  it.each([
    ['audio/ogg', 'voice.ogg'],
    ['audio/ogg; codecs=opus', 'voice.ogg'],
    ['audio/mpeg', 'voice.mp3'],
    ['audio/mp4', 'voice.m4a'],
    ['audio/wav', 'voice.wav'],
    ['AUDIO/X-WAV', 'voice.wav'],
  ])('names %s audio %s', (mimeType, fileName) => {
    expect(audioFileName(mimeType)).toBe(fileName);
  });

  it('rejects a video type', () => {
    expect(() => audioExtension('video/mp4')).toThrow(UnsupportedAudioError);
    expect(() => audioExtension('video/mp4')).toThrow(/video\/mp4.*audio\/ogg/);
  });
});

describe('assertAudioSize', () => {
  it('accepts a file at the limit', () => {
    expect(() => assertAudioSize(TELEGRAM_DOWNLOAD_LIMIT_BYTES, 'telegram-download')).not.toThrow();
  });

  it('rejects a file over Telegram download limit', () => {
    const error = captureError(() => assertAudioSize(TELEGRAM_DOWNLOAD_LIMIT_BYTES + 1, 'telegram-download'));

    expect(error).toBeInstanceOf(AudioTooLargeError);
    expect((error as AudioTooLargeError).limitBytes).toBe(20 * 1024 * 1024);
    expect((error as AudioTooLargeError).replyText).toBe(
      'This recording is 20.1 MB, and I can only transcribe files up to 20.0 MB. Please send a shorter ' +
        'voice message or type the transaction.',
    );
  });

  it('rejects a file over Whisper limit with both sizes', () => {
    const error = captureError(() => assertAudioSize(26 * 1024 * 1024, 'whisper')) as AudioTooLargeError;

    expect(error.sizeBytes).toBe(26 * 1024 * 1024);
    expect(error.limitBytes).toBe(WHISPER_MAX_AUDIO_BYTES);
    expect(error.message).toContain("OpenAI Whisper's upload limit");
    expect(error.replyText).toContain('26.0 MB');
    expect(error.replyText).toContain('25.0 MB');
  });
});

describe('readOggOpusInfo', () => {
  it('reads the duration from the last granule position', () => {
    expect(readOggOpusInfo(LUNCH!.bytes).durationSeconds).toBeCloseTo(LUNCH!.durationSeconds, 3);
  });

  it('rejects a stream cut short', () => {
    const cut = LUNCH!.bytes.subarray(0, LUNCH!.bytes.length - 100);

    expect(isOggOpus(cut)).toBe(true);
    expect(() => readOggOpusInfo(cut)).toThrow(InvalidOggOpusError);
  });

  it('rejects Ogg Vorbis', () => {
    const vorbis = Uint8Array.from(LUNCH!.bytes);
    vorbis.set(new TextEncoder().encode('\u0001vorbis\u0000'), 28);

    expect(isOggOpus(vorbis)).toBe(false);
    expect(() => readOggOpusInfo(vorbis)).toThrow(/not OGG\/Opus/);
  });
});

describe('audioDurationSeconds', () => {
  it('prefers the OGG duration over the platform value', () => {
    expect(
      audioDurationSeconds({ bytes: LUNCH!.bytes, mimeType: 'audio/ogg', durationSeconds: 9 }),
    ).toBeCloseTo(LUNCH!.durationSeconds, 3);
  });

  it('falls back to the platform value for other formats', () => {
    expect(
      audioDurationSeconds({ bytes: new Uint8Array(10), mimeType: 'audio/mpeg', durationSeconds: 9 }),
    ).toBe(9);
  });
});

function captureError(run: () => void): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('Expected the call to throw.');
}
