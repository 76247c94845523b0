/**
 * `POST /v1/audio/transcriptions` of the fake OpenAI server. The request is multipart/form-data with `file`,
 * `model` and an optional `response_format`, as OpenAI documents it. The transcript comes from a registry of
 * known audio keyed by the SHA-256 of the file's bytes.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { invalidRequestError, type OpenAiErrorBody } from './responses';

/** Largest audio file that OpenAI accepts: 25 MB. */
export const MAX_AUDIO_BYTES = 25 * 1024 * 1024;

/** File extensions that OpenAI's transcription endpoint accepts. */
export const AUDIO_EXTENSIONS = [
  'flac',
  'm4a',
  'mp3',
  'mp4',
  'mpeg',
  'mpga',
  'oga',
  'ogg',
  'wav',
  'webm',
] as const;

const RESPONSE_FORMATS = ['json', 'text', 'srt', 'verbose_json', 'vtt'] as const;

/** A transcript that the fake returns for one audio file. */
export interface KnownAudio {
  text: string;
  durationSeconds: number;
  /** Language name that `verbose_json` reports. Default `english`. */
  language?: string;
}

/**
 * One entry of an audio manifest: the audio's SHA-256 in hex, or a `file` path relative to the manifest,
 * which the fake hashes when it starts.
 */
export type AudioManifestEntry = KnownAudio & ({ sha256: string } | { file: string });

/** Transcripts by the SHA-256 of the audio bytes. */
export class AudioRegistry {
  readonly #known = new Map<string, KnownAudio>();

  /** Registers `bytes` so that a transcription of them returns `text`. Returns the SHA-256 in hex. */
  register(bytes: Uint8Array, text: string, durationSeconds: number, language?: string): string {
    const sha256 = sha256Of(bytes);
    this.#known.set(sha256, { text, durationSeconds, language });

    return sha256;
  }

  /** Registers an entry by its hash. */
  registerHash(sha256: string, audio: KnownAudio): void {
    this.#known.set(sha256.toLowerCase(), audio);
  }

  /** Loads a manifest file: a JSON array of {@link AudioManifestEntry}. */
  loadManifest(path: string): void {
    const entries = JSON.parse(readFileSync(path, 'utf8')) as AudioManifestEntry[];
    if (!Array.isArray(entries)) {
      throw new Error(
        `Audio manifest ${path} is invalid: expected a JSON array of {sha256 | file, text, durationSeconds}.`,
      );
    }
    for (const entry of entries) {
      const audio = { text: entry.text, durationSeconds: entry.durationSeconds, language: entry.language };
      if ('sha256' in entry) {
        this.registerHash(entry.sha256, audio);
      } else {
        this.register(
          readFileSync(resolve(dirname(path), entry.file)),
          audio.text,
          audio.durationSeconds,
          audio.language,
        );
      }
    }
  }

  lookup(bytes: Uint8Array): KnownAudio | undefined {
    return this.#known.get(sha256Of(bytes));
  }

  clear(): void {
    this.#known.clear();
  }
}

/** Options of {@link transcribe}. */
export interface TranscriptionOptions {
  registry: AudioRegistry;
  /** Transcript for audio that is not registered. Without it, unknown audio gets a 400. */
  unknownAudio?: KnownAudio;
  /** Transcript text of a scripted `{ content }` response, which replaces the registry's. */
  scriptedText?: string;
}

/** A response of the endpoint: a status and a JSON or text body. */
export interface EndpointResponse {
  status: number;
  json?: unknown;
  text?: string;
  /** `text/plain` for the text formats, else JSON. */
  contentType?: string;
}

/** Handles one transcription request whose body has already been read. */
export async function transcribe(
  headers: Headers,
  body: Buffer,
  options: TranscriptionOptions,
): Promise<EndpointResponse> {
  let form: FormData;
  try {
    form = await new Request('http://127.0.0.1/v1/audio/transcriptions', {
      method: 'POST',
      headers,
      body,
    }).formData();
  } catch {
    return error(
      400,
      invalidRequestError('Could not parse multipart form: send multipart/form-data with a file part.'),
    );
  }

  const model = form.get('model');
  if (typeof model !== 'string' || model === '') {
    return error(400, invalidRequestError('you must provide a model parameter', 'model'));
  }
  const file = form.get('file');
  if (file === null || typeof file === 'string') {
    return error(
      400,
      invalidRequestError(
        '1 validation error for Request\nbody -> file\n  field required (type=value_error.missing)',
        'file',
      ),
    );
  }
  if (file.size > MAX_AUDIO_BYTES) {
    return contentTooLarge(file.size);
  }
  const extension = file.name.split('.').pop()?.toLowerCase() ?? '';
  if (!(AUDIO_EXTENSIONS as readonly string[]).includes(extension)) {
    return error(
      400,
      invalidRequestError(
        `Invalid file format. Supported formats: ${JSON.stringify(AUDIO_EXTENSIONS)}`,
        'file',
      ),
    );
  }
  const format = (form.get('response_format') as string | null) ?? 'json';
  if (!(RESPONSE_FORMATS as readonly string[]).includes(format)) {
    return error(
      400,
      invalidRequestError(
        `Invalid response_format "${format}"; use one of ${RESPONSE_FORMATS.join(', ')}.`,
        'response_format',
      ),
    );
  }

  const bytes = new Uint8Array(await file.arrayBuffer());
  const known = options.registry.lookup(bytes) ?? options.unknownAudio;
  if (known === undefined && options.scriptedText === undefined) {
    return error(
      400,
      invalidRequestError(
        `Fake OpenAI has no transcript for audio ${sha256Of(bytes)} (${bytes.length} bytes); register it with ` +
          'registerAudio(bytes, text, durationSeconds), list it in the audio manifest, or start the fake with ' +
          'an unknown-audio transcript.',
        'file',
      ),
    );
  }

  const text = options.scriptedText ?? known!.text;
  const durationSeconds = known?.durationSeconds ?? 1;

  return formatTranscript(format, text, durationSeconds, known?.language ?? 'english');
}

function formatTranscript(
  format: string,
  text: string,
  durationSeconds: number,
  language: string,
): EndpointResponse {
  const usage = { type: 'duration', seconds: Math.ceil(durationSeconds) };
  switch (format) {
    case 'text':
      return { status: 200, text: `${text}\n`, contentType: 'text/plain; charset=utf-8' };
    case 'srt':
      return {
        status: 200,
        text: `1\n00:00:00,000 --> ${timestamp(durationSeconds, ',')}\n${text}\n\n`,
        contentType: 'text/plain; charset=utf-8',
      };
    case 'vtt':
      return {
        status: 200,
        text: `WEBVTT\n\n00:00:00.000 --> ${timestamp(durationSeconds, '.')}\n${text}\n\n`,
        contentType: 'text/plain; charset=utf-8',
      };
    case 'verbose_json':
      return {
        status: 200,
        json: {
          task: 'transcribe',
          language,
          duration: durationSeconds,
          text,
          segments: [
            { id: 0, seek: 0, start: 0, end: durationSeconds, text, temperature: 0, no_speech_prob: 0 },
          ],
          usage,
        },
      };
    default:
      return { status: 200, json: { text, usage } };
  }
}

function timestamp(seconds: number, separator: string): string {
  const totalMs = Math.round(seconds * 1_000);
  const hours = Math.floor(totalMs / 3_600_000);
  const minutes = Math.floor(totalMs / 60_000) % 60;
  const wholeSeconds = Math.floor(totalMs / 1_000) % 60;
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');

  return `${pad(hours)}:${pad(minutes)}:${pad(wholeSeconds)}${separator}${pad(totalMs % 1_000, 3)}`;
}

/** 413 with the body OpenAI sends for an upload over its size limit. */
export function contentTooLarge(bytes: number): EndpointResponse {
  return error(413, {
    error: {
      message: `Maximum content size limit (${MAX_AUDIO_BYTES}) exceeded (${bytes} bytes read)`,
      type: 'server_error',
      param: null,
      code: null,
    },
  });
}

function error(status: number, body: OpenAiErrorBody): EndpointResponse {
  return { status, json: body };
}

function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
