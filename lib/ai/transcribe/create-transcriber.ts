import { S3Client } from '@aws-sdk/client-s3';
import { TranscribeClient } from '@aws-sdk/client-transcribe';
import type { VoiceConfig } from '../../config/voice';
import type { ResilienceLogger } from '../../resilience/logger';
import type { ResilientCaller } from '../../resilience/resilient-call';
import { AwsBatchTranscriber } from './aws-transcribe';
import type { Transcriber } from './transcriber';
import { WhisperTranscriber } from './whisper';

/** The OpenAI settings that Whisper needs, with the key already read from its source. */
export interface WhisperConnection {
  apiKey: string;
  baseURL?: string;
  /** Time one HTTP attempt may take, in milliseconds. */
  timeoutMs: number;
}

/** Dependencies of {@link createTranscriber}. */
export interface TranscriberDependencies {
  caller: ResilientCaller;
  /** Time each provider call may take, retries included: usually the time left in the invocation. */
  budgetMs: () => number;
  logger?: ResilienceLogger;
  /** Required when the configuration selects Whisper. */
  openai?: WhisperConnection;
  /** Clients to use instead of ones built from the configuration, for tests. */
  transcribeClient?: TranscribeClient;
  s3Client?: S3Client;
}

/** Raised when the configuration selects Whisper but no OpenAI key is configured. */
export class WhisperNotConfiguredError extends Error {
  override readonly name = 'WhisperNotConfiguredError';

  constructor() {
    super(
      'TRANSCRIBER is whisper but no OpenAI key is configured; set OPENAI_SECRET_ARN (or OPENAI_API_KEY ' +
        'locally), or set TRANSCRIBER=transcribe.',
    );
  }
}

/**
 * Builds the transcriber that the configuration selects: OpenAI Whisper by default, or Amazon Transcribe
 * batch jobs. The AWS clients make one attempt per call (`maxAttempts: 1`), so the resilience layer is the
 * only one that retries.
 * @throws {WhisperNotConfiguredError} when Whisper is selected without an OpenAI connection.
 */
export function createTranscriber(config: VoiceConfig, dependencies: TranscriberDependencies): Transcriber {
  const { caller, budgetMs, logger } = dependencies;
  if (config.transcriber === 'whisper') {
    if (dependencies.openai === undefined) {
      throw new WhisperNotConfiguredError();
    }
    return new WhisperTranscriber({
      ...dependencies.openai,
      model: config.whisperModel,
      caller,
      budgetMs,
      logger,
    });
  }

  const settings = config.transcribe;
  const transcribe =
    dependencies.transcribeClient ?? new TranscribeClient({ endpoint: settings.endpoint, maxAttempts: 1 });
  const s3 =
    dependencies.s3Client ??
    new S3Client({
      endpoint: settings.s3Endpoint,
      forcePathStyle: settings.s3Endpoint !== undefined,
      maxAttempts: 1,
    });

  return new AwsBatchTranscriber({
    transcribe,
    s3,
    bucket: settings.bucket,
    language: settings.language,
    deadlineMs: settings.deadlineMs,
    caller,
    budgetMs,
    logger,
  });
}
