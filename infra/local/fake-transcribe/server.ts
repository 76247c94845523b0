import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { readOggOpusInfo } from '../../../lib/ai/transcribe/ogg-opus';
import { TRANSCRIBE_MESSAGES, TranscribeApiError } from './aws-errors';
import {
  detectMediaFormat,
  formatsMatch,
  type JobRequest,
  type JobStatus,
  type StartJobRequest,
  transcriptDocument,
  validateStartRequest,
} from './jobs';
import { sha256Hex, VoiceRegistry } from './voice-registry';

/**
 * A fake of Amazon Transcribe's batch API on 127.0.0.1, in the AWS JSON 1.1 protocol that
 * `@aws-sdk/client-transcribe` speaks: `POST /` with `X-Amz-Target: Transcribe.<Operation>` and
 * `Content-Type: application/x-amz-json-1.1`. It serves StartTranscriptionJob, GetTranscriptionJob and
 * DeleteTranscriptionJob. A job reads its media from S3 (fauxqs) when it starts and stays IN_PROGRESS for
 * `completionDelayMs`. The next GetTranscriptionJob after that completes it: the fake looks the audio's
 * SHA-256 up in the registry and writes that transcript to the output bucket, or fails the job with
 * Transcribe's reason. It checks that requests are signed, but not their signatures.
 */

/** Options of {@link startFakeTranscribe}. */
export interface FakeTranscribeOptions {
  /** S3 client of the emulator that contains the media and receives the transcripts. */
  s3: S3Client;
  /** Default 0, a free port. */
  port?: number;
  /** Manifest of known audio, such as test/fixtures/voice/manifest.json. */
  manifestPath?: string;
  /** Time a job stays IN_PROGRESS, in milliseconds. Default 200. */
  completionDelayMs?: number;
  /** Region in the transcript URIs. Default `us-east-1`. */
  region?: string;
}

/** One request that the fake received. */
export interface FakeTranscribeRequest {
  /** The operation from `X-Amz-Target`, such as `StartTranscriptionJob`. */
  operation: string;
  status: number;
  /** The exception name of an error response. */
  errorName?: string;
  at: number;
}

/** A job as the fake stores it. */
export interface FakeTranscriptionJob {
  request: JobRequest;
  status: JobStatus;
  createdAtMs: number;
  completedAtMs?: number;
  failureReason?: string;
  /** Language that the completed job reports. */
  languageCode?: string;
  mediaSha256: string;
  mediaSampleRateHertz?: number;
  detectedFormat?: string;
}

/** A running fake. */
export interface FakeTranscribe {
  /** `http://127.0.0.1:<port>`, the client's `endpoint`. */
  readonly url: string;
  readonly requests: FakeTranscribeRequest[];
  readonly jobs: ReadonlyMap<string, FakeTranscriptionJob>;
  /** Registers audio so that a job on exactly these bytes returns `text`. Returns its SHA-256. */
  registerAudio(bytes: Uint8Array, text: string, durationSeconds: number, languageCode?: string): string;
  /** Fails the next `times` requests with LimitExceededException, Transcribe's throttling error. */
  throttleNext(times?: number): void;
  /** Sets how long new and running jobs stay IN_PROGRESS, in milliseconds. */
  setCompletionDelay(ms: number): void;
  /** Forgets requests, jobs, throttling and registered audio (the manifest is loaded again). */
  reset(): void;
  stop(): Promise<void>;
}

const OPERATIONS = ['StartTranscriptionJob', 'GetTranscriptionJob', 'DeleteTranscriptionJob'] as const;
type Operation = (typeof OPERATIONS)[number];
const TARGET_PREFIX = 'Transcribe.';
const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';
const MAX_BODY_BYTES = 1024 * 1024;

/** Starts the fake Amazon Transcribe on 127.0.0.1. */
export async function startFakeTranscribe(options: FakeTranscribeOptions): Promise<FakeTranscribe> {
  const region = options.region ?? 'us-east-1';
  const registry = new VoiceRegistry();
  const loadManifest = () => {
    if (options.manifestPath !== undefined) {
      registry.loadManifest(options.manifestPath);
    }
  };
  loadManifest();
  const requests: FakeTranscribeRequest[] = [];
  const jobs = new Map<string, FakeTranscriptionJob>();
  const finishing = new Map<string, Promise<void>>();
  let throttledRequests = 0;
  let completionDelayMs = options.completionDelayMs ?? 200;

  const startJob = async (body: StartJobRequest): Promise<unknown> => {
    const request = validateStartRequest(body);
    if (jobs.has(request.jobName)) {
      throw new TranscribeApiError('ConflictException', TRANSCRIBE_MESSAGES.conflict);
    }

    const media = await readObject(options.s3, request.media.bucket, request.media.key);
    if (media === undefined) {
      throw new TranscribeApiError('BadRequestException', TRANSCRIBE_MESSAGES.mediaNotFound);
    }
    const detectedFormat = detectMediaFormat(media);
    const job: FakeTranscriptionJob = {
      request,
      status: 'IN_PROGRESS',
      createdAtMs: Date.now(),
      mediaSha256: sha256Hex(media),
      detectedFormat,
      mediaSampleRateHertz: detectedFormat === 'ogg' ? opusInputRate(media) : undefined,
    };
    jobs.set(request.jobName, job);

    return { TranscriptionJob: describeJob(job, region) };
  };

  /** Completes or fails a job whose delay has passed. Concurrent polls share one run. */
  const finishIfDue = async (job: FakeTranscriptionJob): Promise<void> => {
    if (job.status !== 'IN_PROGRESS' || Date.now() - job.createdAtMs < completionDelayMs) {
      return;
    }
    const name = job.request.jobName;
    const running = finishing.get(name) ?? finish(job, registry, options.s3);
    finishing.set(name, running);
    await running;
    finishing.delete(name);
  };

  const getJob = async (body: { TranscriptionJobName?: unknown }): Promise<unknown> => {
    const job = jobs.get(String(body.TranscriptionJobName));
    if (job === undefined) {
      throw new TranscribeApiError('NotFoundException', TRANSCRIBE_MESSAGES.notFound);
    }
    await finishIfDue(job);

    return { TranscriptionJob: describeJob(job, region) };
  };

  const deleteJob = (body: { TranscriptionJobName?: unknown }): unknown => {
    if (!jobs.delete(String(body.TranscriptionJobName))) {
      throw new TranscribeApiError('NotFoundException', TRANSCRIBE_MESSAGES.notFound);
    }

    return {};
  };

  const dispatch = (operation: Operation, body: Record<string, unknown>): Promise<unknown> | unknown => {
    switch (operation) {
      case 'StartTranscriptionJob':
        return startJob(body as StartJobRequest);
      case 'GetTranscriptionJob':
        return getJob(body);
      case 'DeleteTranscriptionJob':
        return deleteJob(body);
    }
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const target = String(request.headers['x-amz-target'] ?? '');
    const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target;
    const record = (status: number, errorName?: string) =>
      requests.push({ operation, status, errorName, at: Date.now() });

    try {
      const body = await readJsonRequest(request, operation);
      if (throttledRequests > 0) {
        throttledRequests -= 1;
        throw new TranscribeApiError('LimitExceededException', TRANSCRIBE_MESSAGES.limitExceeded);
      }
      const result = await dispatch(operation as Operation, body);
      record(200);
      sendJson(response, 200, result);
    } catch (error) {
      const apiError =
        error instanceof TranscribeApiError
          ? error
          : new TranscribeApiError('InternalFailureException', `Fake Transcribe failed: ${String(error)}`);
      record(apiError.status, apiError.errorName);
      sendJson(response, apiError.status, apiError.body, { 'x-amzn-ErrorType': apiError.errorName });
    }
  };

  const server = createServer((request, response) => {
    void handle(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    jobs,
    registerAudio(bytes, text, durationSeconds, languageCode) {
      return registry.register(bytes, text, durationSeconds, languageCode);
    },
    throttleNext(times = 1) {
      throttledRequests += times;
    },
    setCompletionDelay(ms) {
      completionDelayMs = ms;
    },
    reset() {
      requests.length = 0;
      jobs.clear();
      throttledRequests = 0;
      completionDelayMs = options.completionDelayMs ?? 200;
      registry.clear();
      loadManifest();
    },
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/**
 * Completes a job, or fails it when the media is not in its declared format or the audio is unknown. The
 * transcript is written before the status turns COMPLETED, so a client never sees COMPLETED without the file.
 */
async function finish(job: FakeTranscriptionJob, registry: VoiceRegistry, s3: S3Client): Promise<void> {
  const fail = (reason: string) => {
    job.status = 'FAILED';
    job.failureReason = reason;
    job.completedAtMs = Date.now();
  };
  const declaredFormat = job.request.mediaFormat;
  if (!formatsMatch(declaredFormat, job.detectedFormat)) {
    fail(TRANSCRIBE_MESSAGES.mediaFormatMismatch);
    return;
  }
  const known = registry.lookup(job.mediaSha256);
  if (known === undefined) {
    fail(
      `The fake Transcribe server has no transcript for audio ${job.mediaSha256}; register it with ` +
        'registerAudio(bytes, text, durationSeconds) or list it in the voice manifest.',
    );
    return;
  }

  const options = job.request.languageOptions;
  const languageCode =
    job.request.languageCode ??
    (options === undefined || options.includes(known.languageCode) ? known.languageCode : options[0]!);
  const document = transcriptDocument(job.request, known.text, known.durationSeconds, languageCode);
  try {
    await s3.send(
      new PutObjectCommand({
        Bucket: job.request.output.bucket,
        Key: job.request.output.key,
        Body: JSON.stringify(document),
        ContentType: 'application/json',
      }),
    );
  } catch (error) {
    fail(
      `The specified S3 bucket can't be accessed (${error instanceof Error ? error.name : String(error)}). ` +
        'Make sure that you have write permission on the bucket and try your request again.',
    );
    return;
  }

  job.status = 'COMPLETED';
  job.languageCode = languageCode;
  job.completedAtMs = Date.now();
}

/** Returns the API's `TranscriptionJob` structure, with timestamps in epoch seconds as AWS JSON sends them. */
function describeJob(job: FakeTranscriptionJob, region: string): Record<string, unknown> {
  const { request } = job;
  const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1_000);

  return {
    TranscriptionJobName: request.jobName,
    TranscriptionJobStatus: job.status,
    LanguageCode: job.languageCode ?? request.languageCode,
    MediaSampleRateHertz: job.mediaSampleRateHertz,
    MediaFormat: request.mediaFormat ?? job.detectedFormat,
    Media: { MediaFileUri: request.mediaFileUri },
    Transcript:
      job.status === 'COMPLETED'
        ? {
            TranscriptFileUri: `https://s3.${region}.amazonaws.com/${request.output.bucket}/${request.output.key}`,
          }
        : undefined,
    CreationTime: seconds(job.createdAtMs),
    StartTime: seconds(job.createdAtMs),
    CompletionTime: seconds(job.completedAtMs),
    FailureReason: job.failureReason,
    IdentifyLanguage: request.identifyLanguage || undefined,
    LanguageOptions: request.languageOptions,
    IdentifiedLanguageScore: request.identifyLanguage && job.status === 'COMPLETED' ? 0.99 : undefined,
  };
}

function opusInputRate(media: Uint8Array): number | undefined {
  try {
    return readOggOpusInfo(media).inputSampleRate;
  } catch {
    return undefined;
  }
}

async function readObject(s3: S3Client, bucket: string, key: string): Promise<Uint8Array | undefined> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return await object.Body?.transformToByteArray();
  } catch (error) {
    if (error instanceof Error && ['NoSuchKey', 'NoSuchBucket', 'NotFound'].includes(error.name)) {
      return undefined;
    }
    throw error;
  }
}

/**
 * Reads and checks the request as AWS does before it runs an operation: signed, JSON 1.1, a known target,
 * and a JSON object body.
 */
async function readJsonRequest(
  request: IncomingMessage,
  operation: string,
): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size <= MAX_BODY_BYTES) {
      chunks.push(chunk as Buffer);
    }
  }

  if (!String(request.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ')) {
    throw new TranscribeApiError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403);
  }
  const contentType = String(request.headers['content-type'] ?? '');
  if (request.method !== 'POST' || !contentType.startsWith(JSON_CONTENT_TYPE)) {
    throw new TranscribeApiError(
      'UnknownOperationException',
      `Send POST / with Content-Type ${JSON_CONTENT_TYPE}; got ${request.method} with "${contentType}".`,
    );
  }
  if (!(OPERATIONS as readonly string[]).includes(operation)) {
    throw new TranscribeApiError(
      'UnknownOperationException',
      `Operation "${operation}" is not supported by the fake.`,
    );
  }
  if (size > MAX_BODY_BYTES) {
    throw new TranscribeApiError(
      'SerializationException',
      `The request body exceeds ${MAX_BODY_BYTES} bytes.`,
    );
  }

  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
  } catch {
    // Reported below with the same error as a body that is not an object.
  }
  throw new TranscribeApiError('SerializationException', 'The request body is not a JSON object.');
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    'content-type': JSON_CONTENT_TYPE,
    'x-amzn-RequestId': randomUUID(),
    ...headers,
  });
  response.end(JSON.stringify(body));
}
