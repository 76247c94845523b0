import { ConfigError, type Env, integer, optional, optionalUrl, required } from './environment';

/** Speech-to-text providers that TRANSCRIBER selects. */
export const TRANSCRIBER_IDS = ['whisper', 'transcribe'] as const;

/** A speech-to-text provider id. */
export type TranscriberId = (typeof TRANSCRIBER_IDS)[number];

/** Whisper's model, used unless WHISPER_MODEL names another. */
export const DEFAULT_WHISPER_MODEL = 'whisper-1';

/** Language setting of Amazon Transcribe jobs. */
export type TranscribeLanguageConfig =
  /** TRANSCRIBE_LANGUAGE_CODE: every voice note is in this language. */
  | { mode: 'fixed'; languageCode: string }
  /**
   * Language identification among TRANSCRIBE_LANGUAGE_OPTIONS, or among every language that Transcribe
   * supports when no options are set.
   */
  | { mode: 'identify'; languageOptions: string[] };

/** Settings of Amazon Transcribe batch jobs. */
export interface TranscribeConfig {
  /** Bucket that the audio is uploaded to and the transcript is written to (TRANSCRIBE_BUCKET). */
  bucket: string;
  language: TranscribeLanguageConfig;
  /** Time a job may take before the transcription fails, in milliseconds (TRANSCRIBE_DEADLINE_MS). */
  deadlineMs: number;
  /**
   * Transcribe endpoint override (AWS_ENDPOINT_URL_TRANSCRIBE), such as the local fake on 127.0.0.1.
   * Unset, the SDK uses the region's endpoint.
   */
  endpoint?: string;
  /**
   * S3 endpoint override (AWS_ENDPOINT_URL_S3), such as fauxqs on 127.0.0.1. When set, the client uses
   * path-style URLs, because an emulator has no per-bucket host names.
   */
  s3Endpoint?: string;
}

/** Settings of voice note transcription: which provider, and that provider's settings. */
export type VoiceConfig =
  /** OpenAI Whisper with the key and base URL of the OpenAI settings (`loadAiConfig`). */
  | { transcriber: 'whisper'; whisperModel: string }
  | { transcriber: 'transcribe'; transcribe: TranscribeConfig };

/** A BCP-47 language code in the form Transcribe takes, such as `en-US` or `pt-BR`. */
const LANGUAGE_CODE = /^[a-z]{2,3}-[A-Z]{2}$/;

function languageCode(name: string, value: string): string {
  if (!LANGUAGE_CODE.test(value)) {
    throw new ConfigError(name, `expected a language code such as en-US or pt-BR, got "${value}".`);
  }

  return value;
}

function transcribeLanguage(env: Env): TranscribeLanguageConfig {
  const fixed = optional(env, 'TRANSCRIBE_LANGUAGE_CODE');
  const options = optional(env, 'TRANSCRIBE_LANGUAGE_OPTIONS');
  if (fixed !== undefined && options !== undefined) {
    throw new ConfigError(
      'TRANSCRIBE_LANGUAGE_CODE',
      'is set together with TRANSCRIBE_LANGUAGE_OPTIONS; set one: a fixed language, or the options to identify among.',
    );
  }
  if (fixed !== undefined) {
    return { mode: 'fixed', languageCode: languageCode('TRANSCRIBE_LANGUAGE_CODE', fixed) };
  }

  const languageOptions = (options ?? '')
    .split(',')
    .map((code) => code.trim())
    .filter((code) => code !== '')
    .map((code) => languageCode('TRANSCRIBE_LANGUAGE_OPTIONS', code));
  // Transcribe requires at least two options when any are given.
  if (languageOptions.length === 1) {
    throw new ConfigError(
      'TRANSCRIBE_LANGUAGE_OPTIONS',
      `lists one language ("${options}"); list two or more, or set TRANSCRIBE_LANGUAGE_CODE for a fixed language.`,
    );
  }

  return { mode: 'identify', languageOptions: [...new Set(languageOptions)] };
}

/**
 * Reads which provider transcribes voice notes (TRANSCRIBER, default `whisper`) and its settings. Amazon
 * Transcribe needs TRANSCRIBE_BUCKET.
 */
export function loadVoiceConfig(env: Env = process.env): VoiceConfig {
  const transcriber = optional(env, 'TRANSCRIBER') ?? 'whisper';
  if (transcriber === 'whisper') {
    return { transcriber, whisperModel: optional(env, 'WHISPER_MODEL') ?? DEFAULT_WHISPER_MODEL };
  }
  if (transcriber !== 'transcribe') {
    throw new ConfigError(
      'TRANSCRIBER',
      `expected one of ${TRANSCRIBER_IDS.join(', ')}, got "${transcriber}".`,
    );
  }

  return {
    transcriber,
    transcribe: {
      bucket: required(env, 'TRANSCRIBE_BUCKET'),
      language: transcribeLanguage(env),
      deadlineMs: integer(env, 'TRANSCRIBE_DEADLINE_MS', 25_000, 1_000, 840_000),
      endpoint: optionalUrl(env, 'AWS_ENDPOINT_URL_TRANSCRIBE'),
      s3Endpoint: optionalUrl(env, 'AWS_ENDPOINT_URL_S3'),
    },
  };
}
