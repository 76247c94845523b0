/**
 * Generates the voice-note fixtures in test/fixtures/voice/: short expenses spoken by espeak-ng and encoded
 * by opusenc as OGG/Opus like a Telegram voice note (mono, 16 kHz input, about 24 kbit/s), plus manifest.json.
 *
 *   apt-get install espeak-ng opus-tools
 *   npx tsx scripts/make-voice-fixtures.ts
 *
 * The .ogg files are committed, so tests and CI never need espeak-ng or opusenc. Rerun this script only to
 * change the fixtures, then commit the files and the manifest together.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readOggOpusInfo } from '../lib/ai/transcribe/ogg-opus';

/** One voice note to generate. */
interface VoiceNote {
  file: string;
  /**
   * Text that espeak-ng reads aloud, and the transcript that the fakes return for it. Amounts are written
   * in digits, as Whisper usually transcribes spoken amounts, because the local parser reads digits only.
   */
  text: string;
  /** espeak-ng voice. */
  voice: string;
  /** Language name as Whisper's `verbose_json` reports it. */
  language: string;
  /** BCP-47 code as Amazon Transcribe reports it. */
  languageCode: string;
}

const NOTES: readonly VoiceNote[] = [
  {
    file: 'lunch-subway.ogg',
    text: 'spent 12.50 on lunch at Subway',
    voice: 'en-us',
    language: 'english',
    languageCode: 'en-US',
  },
  {
    file: 'gas-42-dollars.ogg',
    text: 'paid 42 dollars for gas',
    voice: 'en-us',
    language: 'english',
    languageCode: 'en-US',
  },
  {
    file: 'coffee-4-euros.ogg',
    text: 'coffee 4 euros',
    voice: 'en-us',
    language: 'english',
    languageCode: 'en-US',
  },
  {
    file: 'salary-3000.ogg',
    text: 'salary 3000',
    voice: 'en-us',
    language: 'english',
    languageCode: 'en-US',
  },
  {
    file: 'mercado-20-reais.ogg',
    text: 'gastei 20 reais no mercado',
    voice: 'pt-br',
    language: 'portuguese',
    languageCode: 'pt-BR',
  },
];

/** Speech rate in words per minute: espeak-ng's default is 175, a little fast for a voice note. */
const WORDS_PER_MINUTE = '150';
const TARGET_SAMPLE_RATE = 16_000;
const BITRATE_KBPS = '24';
const OUTPUT_DIRECTORY = path.resolve(import.meta.dirname, '..', 'test', 'fixtures', 'voice');

/** 16-bit mono PCM with its sample rate. */
interface Pcm {
  samples: Int16Array;
  sampleRate: number;
}

function run(command: string, args: string[], input?: Uint8Array): Buffer {
  const result = spawnSync(command, args, { input, maxBuffer: 64 * 1024 * 1024 });
  if (result.error !== undefined) {
    throw new Error(
      `Could not run ${command}: ${result.error.message}. Install it with apt-get install espeak-ng opus-tools.`,
    );
  }
  if (result.status !== 0) {
    throw new Error(`${command} exited with code ${result.status}: ${result.stderr.toString().trim()}`);
  }

  return result.stdout;
}

/** Reads the PCM of a 16-bit mono WAV file, as espeak-ng writes it with --stdout. */
function readWav(wav: Buffer): Pcm {
  let offset = 12;
  let sampleRate = 0;
  while (offset + 8 <= wav.length) {
    const id = wav.toString('ascii', offset, offset + 4);
    const declaredSize = wav.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      const channels = wav.readUInt16LE(body + 2);
      const bitsPerSample = wav.readUInt16LE(body + 14);
      if (channels !== 1 || bitsPerSample !== 16) {
        throw new Error(
          `Expected 16-bit mono WAV from espeak-ng, got ${channels} channels of ${bitsPerSample} bits.`,
        );
      }
      sampleRate = wav.readUInt32LE(body + 4);
    }
    if (id === 'data') {
      // espeak-ng writing to a pipe cannot seek back, so it leaves the data size at its 0x7fffffff placeholder.
      const end = Math.min(wav.length, body + declaredSize);
      const data = wav.subarray(body, end - ((end - body) % 2));
      const samples = new Int16Array(data.length / 2);
      for (let index = 0; index < samples.length; index += 1) {
        samples[index] = data.readInt16LE(index * 2);
      }
      return { samples, sampleRate };
    }
    offset = body + declaredSize + (declaredSize % 2);
  }

  throw new Error('The WAV output of espeak-ng has no data chunk.');
}

/**
 * Resamples with a Hann-windowed sinc whose cutoff is just below the lower Nyquist frequency, so that
 * espeak-ng's 22,050 Hz output does not alias when it is reduced to 16 kHz.
 */
function resample(input: Pcm, targetRate: number): Pcm {
  const ratio = targetRate / input.sampleRate;
  const cutoff = 0.95 * Math.min(1, ratio);
  const halfWidth = 24;
  const output = new Int16Array(Math.floor(input.samples.length * ratio));
  for (let index = 0; index < output.length; index += 1) {
    const center = index / ratio;
    const first = Math.ceil(center - halfWidth / cutoff);
    const last = Math.floor(center + halfWidth / cutoff);
    let sum = 0;
    for (let source = first; source <= last; source += 1) {
      const sample = input.samples[source];
      if (sample === undefined) {
        continue;
      }
      const distance = source - center;
      const x = distance * cutoff;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const window = 0.5 + 0.5 * Math.cos((Math.PI * distance * cutoff) / halfWidth);
      sum += sample * cutoff * sinc * window;
    }
    output[index] = Math.max(-32_768, Math.min(32_767, Math.round(sum)));
  }

  return { samples: output, sampleRate: targetRate };
}

function encodeOpus(pcm: Pcm, serial: number): Buffer {
  const raw = Buffer.from(pcm.samples.buffer, pcm.samples.byteOffset, pcm.samples.byteLength);

  return run(
    'opusenc',
    [
      '--quiet',
      '--raw',
      '--raw-bits',
      '16',
      '--raw-rate',
      String(pcm.sampleRate),
      '--raw-chan',
      '1',
      '--bitrate',
      BITRATE_KBPS,
      '--speech',
      // A fixed serial number keeps the output the same from run to run, which keeps the hashes stable.
      '--serial',
      String(serial),
      '-',
      '-',
    ],
    raw,
  );
}

function main(): void {
  mkdirSync(OUTPUT_DIRECTORY, { recursive: true });
  const manifest = NOTES.map((note, index) => {
    const wav = run('espeak-ng', ['-v', note.voice, '-s', WORDS_PER_MINUTE, '--stdout', note.text]);
    const ogg = encodeOpus(resample(readWav(wav), TARGET_SAMPLE_RATE), index + 1);
    writeFileSync(path.join(OUTPUT_DIRECTORY, note.file), ogg);

    const durationSeconds = Number(readOggOpusInfo(ogg).durationSeconds.toFixed(3));
    console.log(`${note.file}: ${ogg.length} bytes, ${durationSeconds} s`);

    return {
      file: note.file,
      text: note.text,
      language: note.language,
      languageCode: note.languageCode,
      durationSeconds,
      sha256: createHash('sha256').update(ogg).digest('hex'),
      voice: note.voice,
    };
  });
  writeFileSync(path.join(OUTPUT_DIRECTORY, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

main();
