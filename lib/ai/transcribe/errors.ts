/**
 * Typed errors of speech-to-text. Messages name the file size, MIME type or job, never the transcript,
 * because transcripts are personal data.
 */
import type { AudioSizeLimit } from './transcriber';

/** Providers of speech-to-text. */
export type TranscriptionProvider = 'openai' | 'aws-transcribe';

const LIMIT_NAMES: Readonly<Record<AudioSizeLimit, string>> = {
  'telegram-download': "Telegram's download limit for bots",
  whisper: "OpenAI Whisper's upload limit",
  'aws-transcribe': "Amazon Transcribe's media file limit",
};

/**
 * Formats a byte count in MB with one decimal, as chat replies show it. Rounding up keeps a size just over
 * a limit from printing as the limit itself.
 */
export function formatMegabytes(bytes: number, rounding: 'nearest' | 'up' = 'nearest'): string {
  const tenths = (bytes / (1024 * 1024)) * 10;
  const rounded = rounding === 'up' ? Math.ceil(tenths) : Math.round(tenths);

  return `${(rounded / 10).toFixed(1)} MB`;
}

/**
 * Raised before any request when an audio file exceeds a size limit. The user gets {@link replyText},
 * because retrying the same file cannot succeed.
 */
export class AudioTooLargeError extends Error {
  override readonly name = 'AudioTooLargeError';

  constructor(
    readonly sizeBytes: number,
    readonly limitBytes: number,
    readonly limit: AudioSizeLimit,
  ) {
    super(
      `Audio of ${sizeBytes} bytes exceeds ${LIMIT_NAMES[limit]} of ${limitBytes} bytes; ask the user for ` +
        'a shorter recording.',
    );
  }

  /** The chat reply for the user, with both sizes in MB. */
  get replyText(): string {
    return (
      `This recording is ${formatMegabytes(this.sizeBytes, 'up')}, and I can only transcribe files up to ` +
      `${formatMegabytes(this.limitBytes)}. Please send a shorter voice message or type the transaction.`
    );
  }
}

/** Raised when audio is in a format that the provider cannot read, by MIME type or by content. */
export class UnsupportedAudioError extends Error {
  override readonly name = 'UnsupportedAudioError';

  /** `reason` describes the problem and what to send instead. */
  constructor(
    readonly mimeType: string,
    reason: string,
    options?: { cause: unknown },
  ) {
    super(`Audio of type "${mimeType}" cannot be transcribed: ${reason}`, options);
  }

  /** The chat reply for the user. */
  get replyText(): string {
    return 'I could not read this audio file. Please send a voice message or type the transaction.';
  }
}

/** Fields that {@link TranscriptionFailedError} copies from the provider's error for the resilience layer. */
export interface TranscriptionFailureDetails {
  /** HTTP status of the provider's response, when there was one. */
  status?: number;
  /** Wait that the provider requested before the next attempt, in milliseconds. */
  retryAfterMs?: number;
  /** Whether a later attempt with the same audio may succeed (throttling, 5xx, timeouts). */
  retryable: boolean;
  cause?: unknown;
}

/**
 * Raised when the provider fails or returns no transcript. It keeps the provider error's `status` and
 * `retryAfterMs`, so the processor can tell a throttled call, which it puts back on the queue, from a
 * rejected one, which gets a reply.
 */
export class TranscriptionFailedError extends Error {
  override readonly name = 'TranscriptionFailedError';
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly retryable: boolean;

  constructor(
    readonly provider: TranscriptionProvider,
    detail: string,
    details: TranscriptionFailureDetails,
  ) {
    super(
      `Transcription with ${provider} failed: ${detail}; ` +
        (details.retryable ? 'retry later.' : 'ask the user to type the transaction.'),
      details.cause === undefined ? undefined : { cause: details.cause },
    );
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
    this.retryable = details.retryable;
  }
}

/**
 * Raised when an Amazon Transcribe job has not finished within the deadline. The job may still finish,
 * but its transcript is not read.
 */
export class TranscriptionTimeoutError extends Error {
  override readonly name = 'TranscriptionTimeoutError';
  readonly retryable = true;

  constructor(
    readonly jobName: string,
    readonly deadlineMs: number,
    readonly lastStatus: string,
  ) {
    super(
      `Transcription job ${jobName} was still ${lastStatus} after ${deadlineMs} ms; raise ` +
        'TRANSCRIBE_DEADLINE_MS or use TRANSCRIBER=whisper for shorter waits.',
    );
  }
}
