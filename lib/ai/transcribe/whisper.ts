import OpenAI, { toFile } from 'openai';
import type { TranscriptionVerbose } from 'openai/resources/audio/transcriptions';
import { DEFAULT_WHISPER_MODEL } from '../../config/voice';
import { isRejectedByResilience, RetryBudgetExceededError } from '../../resilience/errors';
import { rateLimitsFor } from '../../resilience/limits';
import { type ResilienceLogger, SILENT_LOGGER } from '../../resilience/logger';
import type { ResilientCaller } from '../../resilience/resilient-call';
import { OPENAI_DEPENDENCY } from '../openai/client';
import {
  OpenAiQuotaExceededError,
  OpenAiRateLimitError,
  OpenAiRequestError,
  OpenAiUnavailableError,
  QUOTA_RETRY_AFTER_MS,
  toOpenAiError,
} from '../openai/errors';
import { AudioTooLargeError, TranscriptionFailedError, UnsupportedAudioError } from './errors';
import {
  type AudioInput,
  assertAudioSize,
  audioDurationSeconds,
  audioFileName,
  type TranscribeOptions,
  type Transcriber,
  type Transcript,
  WHISPER_MAX_AUDIO_BYTES,
} from './transcriber';

/** Options of {@link WhisperTranscriber}. */
export interface WhisperTranscriberOptions {
  apiKey: string;
  /** The API's base URL, such as the fake's `http://127.0.0.1:<port>/v1`. Default: OpenAI's. */
  baseURL?: string;
  /** Time one HTTP attempt may take, in milliseconds. */
  timeoutMs: number;
  /** @default 'whisper-1' */
  model?: string;
  caller: ResilientCaller;
  /** Time the whole call may take, retries included, in milliseconds: usually the time left in the invocation. */
  budgetMs: () => number;
  /** Logger of sizes and durations, never of transcripts. Default: no logging. */
  logger?: ResilienceLogger;
  /** Clock in epoch milliseconds, for Retry-After dates. Default `Date.now`. */
  now?: () => number;
  /** An SDK client to use instead of one built from the options, for tests. */
  sdk?: OpenAI;
}

/**
 * {@link Transcriber} on OpenAI's `POST /v1/audio/transcriptions` with the `openai` package. It rejects
 * files over 25 MB before sending anything, names the upload with the extension of its MIME type, and
 * requests `verbose_json`, whose `duration` becomes the usage's `audioSeconds`. The SDK's retries are off
 * (`maxRetries: 0`), so every attempt goes through the resilience layer as the `openai` dependency and
 * takes a token from the `openai:requests` bucket.
 */
export class WhisperTranscriber implements Transcriber {
  readonly #sdk: OpenAI;
  readonly #model: string;
  readonly #caller: ResilientCaller;
  readonly #budgetMs: () => number;
  readonly #logger: ResilienceLogger;
  readonly #now: () => number;

  constructor(options: WhisperTranscriberOptions) {
    this.#sdk =
      options.sdk ??
      new OpenAI({
        apiKey: options.apiKey,
        baseURL: options.baseURL,
        maxRetries: 0,
        timeout: options.timeoutMs,
      });
    this.#model = options.model ?? DEFAULT_WHISPER_MODEL;
    this.#caller = options.caller;
    this.#budgetMs = options.budgetMs;
    this.#logger = options.logger ?? SILENT_LOGGER;
    this.#now = options.now ?? Date.now;
  }

  async transcribe(audio: AudioInput, options: TranscribeOptions = {}): Promise<Transcript> {
    assertAudioSize(audio.bytes.length, 'whisper');
    const fileName = audioFileName(audio.mimeType);
    const language = whisperLanguage(options.languageHint);

    let response: TranscriptionVerbose;
    try {
      response = await this.#caller.call(
        {
          dependency: OPENAI_DEPENDENCY,
          operation: 'transcribe',
          rateLimits: rateLimitsFor('openai:requests'),
          // A transcription changes nothing on OpenAI's side, so sending it twice is safe.
          idempotent: true,
          // A budget of an hour or more would let the quota error's wait fit, and the retry sleep through it.
          budgetMs: Math.min(this.#budgetMs(), QUOTA_RETRY_AFTER_MS - 1),
        },
        async () => {
          try {
            // A fresh file per attempt, because the SDK consumes the upload's body.
            const file = await toFile(audio.bytes, fileName, { type: audio.mimeType });
            return await this.#sdk.audio.transcriptions.create({
              model: this.#model,
              file,
              response_format: 'verbose_json',
              ...(language === undefined ? {} : { language }),
            });
          } catch (error) {
            throw toOpenAiError(error, this.#now());
          }
        },
      );
    } catch (error) {
      throw toTranscriptionError(error, audio);
    }

    const transcript = this.#toTranscript(response, audio);
    this.#logger.info('Transcribed audio', {
      provider: 'openai',
      bytes: audio.bytes.length,
      durationSeconds: transcript.durationSeconds,
    });

    return transcript;
  }

  #toTranscript(response: TranscriptionVerbose, audio: AudioInput): Transcript {
    if (typeof response?.text !== 'string') {
      throw new TranscriptionFailedError('openai', 'the response has no text field', { retryable: false });
    }
    const durationSeconds = Number.isFinite(response.duration)
      ? response.duration
      : audioDurationSeconds(audio);

    return {
      text: response.text.trim(),
      language: typeof response.language === 'string' ? response.language : undefined,
      durationSeconds,
      usage: {
        provider: 'openai',
        model: this.#model,
        operation: 'transcribe',
        audioSeconds: durationSeconds,
      },
    };
  }
}

/** Returns the ISO 639-1 code that Whisper's `language` parameter takes, or undefined for other hints. */
function whisperLanguage(hint: string | undefined): string | undefined {
  const primary = hint?.split(/[-_]/, 1)[0]?.toLowerCase();

  return primary !== undefined && /^[a-z]{2}$/.test(primary) ? primary : undefined;
}

/**
 * Converts a failed call into the transcriber's errors. The resilience layer's rejections stay as they are,
 * so the processor can defer the message; the quota error comes out of the layer's budget error.
 */
function toTranscriptionError(error: unknown, audio: AudioInput): unknown {
  const failure =
    error instanceof RetryBudgetExceededError && error.cause instanceof OpenAiQuotaExceededError
      ? error.cause
      : error;
  if (failure !== error || !isRejectedByResilience(error)) {
    return fromOpenAiError(failure, audio);
  }

  return error;
}

function fromOpenAiError(error: unknown, audio: AudioInput): unknown {
  if (error instanceof OpenAiQuotaExceededError) {
    return new TranscriptionFailedError('openai', 'the OpenAI account has no credit left', {
      status: 429,
      retryAfterMs: error.retryAfterMs,
      retryable: false,
      cause: error,
    });
  }
  if (error instanceof OpenAiRequestError && error.status === 413) {
    return new AudioTooLargeError(audio.bytes.length, WHISPER_MAX_AUDIO_BYTES, 'whisper');
  }
  if (error instanceof OpenAiRequestError && error.param === 'file') {
    return new UnsupportedAudioError(audio.mimeType, `OpenAI could not read it (${error.message})`, {
      cause: error,
    });
  }
  if (error instanceof OpenAiRateLimitError || error instanceof OpenAiUnavailableError) {
    return new TranscriptionFailedError('openai', error.message, {
      status: error.status,
      retryAfterMs: error instanceof OpenAiRateLimitError ? error.retryAfterMs : undefined,
      retryable: true,
      cause: error,
    });
  }
  if (error instanceof Error) {
    const status = (error as { status?: unknown }).status;
    return new TranscriptionFailedError('openai', error.message, {
      status: typeof status === 'number' ? status : undefined,
      retryable: false,
      cause: error,
    });
  }

  return error;
}
