/**
 * The speech-to-text interface that voice notes go through, whichever provider serves it: OpenAI Whisper
 * ({@link WhisperTranscriber}) or Amazon Transcribe batch jobs ({@link AwsBatchTranscriber}).
 */
import type { AiUsage } from '../usage';
import { AudioTooLargeError, UnsupportedAudioError } from './errors';
import { isOggOpus, readOggOpusInfo } from './ogg-opus';

/** Audio to transcribe, as downloaded from the chat platform. */
export interface AudioInput {
  bytes: Uint8Array;
  /** MIME type that the platform reported, such as `audio/ogg` for a Telegram voice note. */
  mimeType: string;
  /** Name of the uploaded file, if it had one. Its extension is ignored in favour of {@link mimeType}. */
  fileName?: string;
  /**
   * Duration that the platform reported, in seconds (Telegram's `voice.duration`). Providers that do not
   * report the duration fall back to it for usage when the audio is not OGG/Opus.
   */
  durationSeconds?: number;
}

/** Options of one transcription. */
export interface TranscribeOptions {
  /**
   * Language the speaker probably uses, as an ISO 639-1 code or a BCP-47 tag such as `pt` or `pt-BR`, for
   * example the user's Telegram `language_code`. Providers use it only where it narrows their own
   * language detection.
   */
  languageHint?: string;
}

/** The text of a transcribed voice note. */
export interface Transcript {
  /** Transcribed text. Personal data: never log it. */
  text: string;
  /** Language of the speech as the provider reported it: a name (`english`) or a BCP-47 tag (`en-US`). */
  language?: string;
  /** Length of the audio in seconds. */
  durationSeconds: number;
  usage: AiUsage;
}

/** A speech-to-text provider. */
export interface Transcriber {
  /**
   * Transcribes one audio file.
   * @throws {AudioTooLargeError} when the file exceeds the provider's size limit; nothing is sent.
   * @throws {UnsupportedAudioError} when the MIME type or the content is not a format the provider reads.
   * @throws {TranscriptionFailedError} when the provider fails or returns no transcript.
   * @throws the resilience layer's `CircuitOpenError`, `DeferCallError` or `RetryBudgetExceededError`.
   */
  transcribe(audio: AudioInput, options?: TranscribeOptions): Promise<Transcript>;
}

const MEBIBYTE = 1024 * 1024;

/**
 * Largest file the Telegram Bot API lets a bot download with `getFile`: 20 MB. Check a voice or audio
 * message's `file_size` against it before downloading.
 */
export const TELEGRAM_DOWNLOAD_LIMIT_BYTES = 20 * MEBIBYTE;

/** Largest file that OpenAI's transcription endpoint accepts: 25 MB. */
export const WHISPER_MAX_AUDIO_BYTES = 25 * MEBIBYTE;

/** Name of a size limit that audio may exceed. */
export type AudioSizeLimit = 'telegram-download' | 'whisper' | 'aws-transcribe';

/** Limits in bytes, by {@link AudioSizeLimit}. Amazon Transcribe batch jobs accept media files up to 2 GB. */
export const AUDIO_SIZE_LIMITS: Readonly<Record<AudioSizeLimit, number>> = {
  'telegram-download': TELEGRAM_DOWNLOAD_LIMIT_BYTES,
  whisper: WHISPER_MAX_AUDIO_BYTES,
  'aws-transcribe': 2 * 1024 * MEBIBYTE,
};

/**
 * Throws when `sizeBytes` exceeds `limit`, so a file that cannot be downloaded or transcribed is rejected
 * before any request.
 * @throws {AudioTooLargeError} with the size and the limit.
 * @example assertAudioSize(voice.file_size, 'telegram-download')
 */
export function assertAudioSize(sizeBytes: number, limit: AudioSizeLimit): void {
  const limitBytes = AUDIO_SIZE_LIMITS[limit];
  if (sizeBytes > limitBytes) {
    throw new AudioTooLargeError(sizeBytes, limitBytes, limit);
  }
}

/** File extensions by MIME type, for audio that Whisper and Amazon Transcribe both read. */
const EXTENSIONS_BY_MIME_TYPE: Readonly<Record<string, string>> = {
  'audio/ogg': 'ogg',
  'audio/opus': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'audio/mp4': 'm4a',
  'audio/m4a': 'm4a',
  'audio/x-m4a': 'm4a',
  'audio/aac': 'm4a',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/wave': 'wav',
  'audio/webm': 'webm',
  'audio/flac': 'flac',
  'audio/x-flac': 'flac',
};

/**
 * Returns the file name extension, without the dot, that matches an audio MIME type. Providers pick the
 * decoder by the extension, so a voice note named `.mp3` fails to decode. Parameters such as
 * `; codecs=opus` are ignored.
 * @throws {UnsupportedAudioError} for a MIME type that is not a supported audio format.
 * @example audioExtension('audio/ogg; codecs=opus') // 'ogg'
 */
export function audioExtension(mimeType: string): string {
  const essence = mimeType.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  const extension = EXTENSIONS_BY_MIME_TYPE[essence];
  if (extension === undefined) {
    throw new UnsupportedAudioError(
      mimeType,
      `the type is not a supported audio format; send one of ${Object.keys(EXTENSIONS_BY_MIME_TYPE).join(', ')}.`,
    );
  }

  return extension;
}

/**
 * Returns a file name whose extension matches the MIME type, such as `voice.ogg` for `audio/ogg` and
 * `voice.mp3` for `audio/mpeg`.
 * @throws {UnsupportedAudioError} for a MIME type that is not a supported audio format.
 */
export function audioFileName(mimeType: string, baseName = 'voice'): string {
  return `${baseName}.${audioExtension(mimeType)}`;
}

/**
 * Returns the duration of audio in seconds: from the last granule position of OGG/Opus, else the duration
 * that the platform reported, else 0.
 */
export function audioDurationSeconds(audio: AudioInput): number {
  if (isOggOpus(audio.bytes)) {
    try {
      return readOggOpusInfo(audio.bytes).durationSeconds;
    } catch {
      // A stream that is cut short still has the platform's duration.
    }
  }

  return audio.durationSeconds ?? 0;
}
