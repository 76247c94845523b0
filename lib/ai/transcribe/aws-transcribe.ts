import { createHash, randomUUID } from 'node:crypto';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  GetTranscriptionJobCommand,
  type MediaFormat,
  StartTranscriptionJobCommand,
  type StartTranscriptionJobRequest,
  type TranscribeClient,
  type TranscriptionJob,
} from '@aws-sdk/client-transcribe';
import { type ResilienceLogger, SILENT_LOGGER } from '../../resilience/logger';
import type { ResilientCaller } from '../../resilience/resilient-call';
import { sleep as realSleep } from '../../resilience/retry';
import { classifyAwsFailure, failedJobError, isAwsError, toAwsTranscriptionError } from './aws-failures';
import { TranscriptionFailedError, TranscriptionTimeoutError, UnsupportedAudioError } from './errors';
import { isOggOpus } from './ogg-opus';
import {
  type AudioInput,
  assertAudioSize,
  audioDurationSeconds,
  audioExtension,
  type TranscribeOptions,
  type Transcriber,
  type Transcript,
} from './transcriber';

/** Language setting of a Transcribe job: one fixed code, or identification among options. */
export type TranscribeLanguage =
  | { mode: 'fixed'; languageCode: string }
  /** Without options, Transcribe identifies among every language it supports. */
  | { mode: 'identify'; languageOptions?: readonly string[] };

/** Options of {@link AwsBatchTranscriber}. */
export interface AwsBatchTranscriberOptions {
  /** Create clients with `maxAttempts: 1`, so the resilience layer is the only one that retries. */
  transcribe: TranscribeClient;
  s3: S3Client;
  /** Bucket for the uploaded audio and the job's transcript. */
  bucket: string;
  language: TranscribeLanguage;
  caller: ResilientCaller;
  /** Time each AWS call may take, retries included, in milliseconds: usually the time left in the invocation. */
  budgetMs: () => number;
  /**
   * Time from the start of a transcription until a job that is not finished fails with
   * {@link TranscriptionTimeoutError}, in milliseconds.
   * @default 25_000
   */
  deadlineMs?: number;
  /** First wait between two status polls, doubled after each poll. @default 500 */
  initialPollMs?: number;
  /** Maximum wait between two status polls. @default 4_000 */
  maxPollMs?: number;
  /** Logger of ids, sizes and durations, never of transcripts. Default: no logging. */
  logger?: ResilienceLogger;
  /** Clock in epoch milliseconds. Default `Date.now`. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Default of {@link AwsBatchTranscriberOptions.deadlineMs}. */
export const DEFAULT_TRANSCRIBE_DEADLINE_MS = 25_000;

/** Breaker key and metrics dimension of Amazon Transcribe calls. */
export const TRANSCRIBE_DEPENDENCY = 'aws-transcribe';

/** Breaker key and metrics dimension of the S3 calls that carry the audio and the transcript. */
export const TRANSCRIBE_S3_DEPENDENCY = 's3:transcribe';

/** Transcribe's `MediaFormat` by file extension. */
const MEDIA_FORMATS: Readonly<Record<string, MediaFormat>> = {
  ogg: 'ogg',
  mp3: 'mp3',
  m4a: 'm4a',
  wav: 'wav',
  webm: 'webm',
  flac: 'flac',
};

/** The part of Transcribe's output JSON that the transcriber reads. */
interface TranscriptOutput {
  results?: {
    transcripts?: { transcript?: string }[];
    items?: { end_time?: string }[];
  };
}

/**
 * {@link Transcriber} on Amazon Transcribe batch jobs, which read their media from S3:
 * 1. PutObject the audio to `voice/<sha256>.<ext>` in the bucket;
 * 2. StartTranscriptionJob with that object, a fixed language or language identification, and the same
 *    bucket for the output;
 * 3. GetTranscriptionJob with exponential backoff until the job is COMPLETED or FAILED, or the deadline
 *    passes;
 * 4. GetObject the transcript JSON and read `results.transcripts[0].transcript`;
 * 5. delete the audio and the transcript from the bucket, whatever the outcome, because both are personal
 *    data.
 *
 * Batch rather than streaming: `@aws-sdk/client-transcribe-streaming` takes OGG/Opus directly and returns
 * text while it listens, but it sends audio over an HTTP/2 event stream, which is not installed here and
 * which no local fake of this project speaks. The cost is latency: a batch job is queued, started and
 * polled, which adds seconds to a voice note that Whisper transcribes in one request. AWS publishes no
 * turnaround time for batch jobs, so the deadline (default 25 s) bounds the wait, and the usage's
 * `audioSeconds` is the audio's duration because the job does not report one.
 * NOTE: the batch latency against AWS has not been measured in this project; only the local fake has run.
 */
export class AwsBatchTranscriber implements Transcriber {
  readonly #options: AwsBatchTranscriberOptions;
  readonly #deadlineMs: number;
  readonly #logger: ResilienceLogger;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(options: AwsBatchTranscriberOptions) {
    this.#options = options;
    this.#deadlineMs = options.deadlineMs ?? DEFAULT_TRANSCRIBE_DEADLINE_MS;
    this.#logger = options.logger ?? SILENT_LOGGER;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? realSleep;
  }

  /** Transcribes one audio file. The `languageHint` is not used: configuration sets the languages. */
  async transcribe(audio: AudioInput, _options: TranscribeOptions = {}): Promise<Transcript> {
    assertAudioSize(audio.bytes.length, 'aws-transcribe');
    const extension = audioExtension(audio.mimeType);
    const mediaFormat = MEDIA_FORMATS[extension];
    if (mediaFormat === undefined) {
      throw new UnsupportedAudioError(audio.mimeType, `Amazon Transcribe reads no .${extension} files.`);
    }
    if (extension === 'ogg' && !isOggOpus(audio.bytes)) {
      throw new UnsupportedAudioError(
        audio.mimeType,
        'Amazon Transcribe reads Ogg files with Opus audio only.',
      );
    }

    const startedAtMs = this.#now();
    const sha256 = createHash('sha256').update(audio.bytes).digest('hex');
    const inputKey = `voice/${sha256}.${extension}`;
    // Job names are unique per account and region for 90 days, so the same audio sent twice needs two names.
    const jobName = `financy-${sha256.slice(0, 16)}-${randomUUID()}`;
    const outputKey = `transcripts/${jobName}.json`;
    let uploaded = false;
    let started = false;

    try {
      await this.#putAudio(inputKey, audio);
      uploaded = true;
      await this.#startJob(jobName, inputKey, outputKey, mediaFormat);
      started = true;
      const job = await this.#waitForJob(jobName, audio.mimeType, startedAtMs);
      const output = await this.#readTranscript(outputKey, jobName);
      const transcript = toTranscript(output, job, audio, jobName);
      this.#logger.info('Transcribed audio', {
        provider: 'aws-transcribe',
        jobName,
        bytes: audio.bytes.length,
        durationSeconds: transcript.durationSeconds,
        elapsedMs: this.#now() - startedAtMs,
      });

      return transcript;
    } finally {
      if (uploaded) {
        await this.#deleteQuietly(inputKey, jobName);
      }
      if (started) {
        await this.#deleteQuietly(outputKey, jobName);
      }
    }
  }

  async #putAudio(key: string, audio: AudioInput): Promise<void> {
    await this.#s3Call('PutObject', (s3) =>
      s3.send(
        new PutObjectCommand({
          Bucket: this.#options.bucket,
          Key: key,
          Body: audio.bytes,
          ContentType: audio.mimeType,
        }),
      ),
    );
  }

  async #startJob(
    jobName: string,
    inputKey: string,
    outputKey: string,
    mediaFormat: MediaFormat,
  ): Promise<void> {
    const request: StartTranscriptionJobRequest = {
      TranscriptionJobName: jobName,
      Media: { MediaFileUri: `s3://${this.#options.bucket}/${inputKey}` },
      MediaFormat: mediaFormat,
      OutputBucketName: this.#options.bucket,
      OutputKey: outputKey,
      ...languageFields(this.#options.language),
    };

    try {
      await this.#options.caller.call(
        {
          dependency: TRANSCRIBE_DEPENDENCY,
          operation: 'StartTranscriptionJob',
          // The job name makes a second start fail with ConflictException instead of starting a second job.
          idempotent: true,
          idempotencyKey: jobName,
          budgetMs: this.#options.budgetMs(),
          classify: classifyAwsFailure,
        },
        async (attempt) => {
          try {
            await this.#options.transcribe.send(new StartTranscriptionJobCommand(request));
          } catch (error) {
            // A retry that conflicts proves that an earlier attempt, whose response was lost, started the job.
            if (attempt > 1 && isAwsError(error, 'ConflictException')) {
              return;
            }
            throw error;
          }
        },
      );
    } catch (error) {
      throw toAwsTranscriptionError(error, 'StartTranscriptionJob');
    }
  }

  /** Polls the job with exponential backoff until it is COMPLETED, FAILED, or the deadline passes. */
  async #waitForJob(jobName: string, mimeType: string, startedAtMs: number): Promise<TranscriptionJob> {
    const deadlineAtMs = startedAtMs + this.#deadlineMs;
    let waitMs = this.#options.initialPollMs ?? 500;
    const maxWaitMs = this.#options.maxPollMs ?? 4_000;

    for (;;) {
      const job = await this.#getJob(jobName, deadlineAtMs);
      const status = job.TranscriptionJobStatus ?? 'UNKNOWN';
      if (status === 'COMPLETED') {
        return job;
      }
      if (status === 'FAILED') {
        throw failedJobError(jobName, mimeType, job.FailureReason);
      }

      const remainingMs = deadlineAtMs - this.#now();
      if (remainingMs <= 0) {
        throw new TranscriptionTimeoutError(jobName, this.#deadlineMs, status);
      }
      await this.#sleep(Math.min(waitMs, remainingMs));
      waitMs = Math.min(waitMs * 2, maxWaitMs);
    }
  }

  async #getJob(jobName: string, deadlineAtMs: number): Promise<TranscriptionJob> {
    try {
      const response = await this.#options.caller.call(
        {
          dependency: TRANSCRIBE_DEPENDENCY,
          operation: 'GetTranscriptionJob',
          idempotent: true,
          budgetMs: Math.max(0, Math.min(this.#options.budgetMs(), deadlineAtMs - this.#now())),
          classify: classifyAwsFailure,
        },
        () =>
          this.#options.transcribe.send(new GetTranscriptionJobCommand({ TranscriptionJobName: jobName })),
      );
      if (response.TranscriptionJob === undefined) {
        throw new TranscriptionFailedError('aws-transcribe', `job ${jobName} is missing from the response`, {
          retryable: false,
        });
      }

      return response.TranscriptionJob;
    } catch (error) {
      throw toAwsTranscriptionError(error, 'GetTranscriptionJob');
    }
  }

  async #readTranscript(outputKey: string, jobName: string): Promise<TranscriptOutput> {
    const body = await this.#s3Call('GetObject', async (s3) => {
      const response = await s3.send(new GetObjectCommand({ Bucket: this.#options.bucket, Key: outputKey }));
      return (await response.Body?.transformToString('utf8')) ?? '';
    });
    try {
      return JSON.parse(body) as TranscriptOutput;
    } catch (error) {
      throw new TranscriptionFailedError('aws-transcribe', `the transcript of job ${jobName} is not JSON`, {
        retryable: false,
        cause: error,
      });
    }
  }

  async #deleteQuietly(key: string, jobName: string): Promise<void> {
    try {
      await this.#s3Call('DeleteObject', (s3) =>
        s3.send(new DeleteObjectCommand({ Bucket: this.#options.bucket, Key: key })),
      );
    } catch (error) {
      // The transcription's result is kept. The bucket's lifecycle rule has to remove the object later.
      this.#logger.warn('Could not delete a transcription object', {
        jobName,
        key,
        error: error instanceof Error ? error.name : String(error),
      });
    }
  }

  async #s3Call<T>(operation: string, run: (s3: S3Client) => Promise<T>): Promise<T> {
    try {
      return await this.#options.caller.call(
        {
          dependency: TRANSCRIBE_S3_DEPENDENCY,
          operation,
          // Each of these requests writes, reads or deletes one fixed key, so repeating it is harmless.
          idempotent: true,
          budgetMs: this.#options.budgetMs(),
          classify: classifyAwsFailure,
        },
        () => run(this.#options.s3),
      );
    } catch (error) {
      throw toAwsTranscriptionError(error, operation);
    }
  }
}

function languageFields(
  language: TranscribeLanguage,
): Pick<StartTranscriptionJobRequest, 'LanguageCode' | 'IdentifyLanguage' | 'LanguageOptions'> {
  if (language.mode === 'fixed') {
    return { LanguageCode: language.languageCode as StartTranscriptionJobRequest['LanguageCode'] };
  }
  const options = language.languageOptions ?? [];

  return {
    IdentifyLanguage: true,
    ...(options.length === 0
      ? {}
      : { LanguageOptions: options as StartTranscriptionJobRequest['LanguageOptions'] }),
  };
}

function toTranscript(
  output: TranscriptOutput,
  job: TranscriptionJob,
  audio: AudioInput,
  jobName: string,
): Transcript {
  const text = output.results?.transcripts?.[0]?.transcript;
  if (typeof text !== 'string') {
    throw new TranscriptionFailedError(
      'aws-transcribe',
      `the transcript of job ${jobName} has no results.transcripts[0].transcript`,
      { retryable: false },
    );
  }
  const durationSeconds = audioDurationSeconds(audio) || lastItemEndSeconds(output);

  return {
    text: text.trim(),
    language: job.LanguageCode,
    durationSeconds,
    usage: {
      provider: 'aws-transcribe',
      // Standard batch transcription, the tier and model name that the price table lists.
      model: 'standard',
      operation: 'transcribe',
      audioSeconds: durationSeconds,
    },
  };
}

/** Returns the end of the last timed word, a lower bound of the duration for audio without a known length. */
function lastItemEndSeconds(output: TranscriptOutput): number {
  const ends = (output.results?.items ?? []).map((item) => Number(item.end_time)).filter(Number.isFinite);

  return ends.length === 0 ? 0 : Math.max(...ends);
}
