import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  BadRequestException,
  ConflictException,
  GetTranscriptionJobCommand,
  NotFoundException,
  StartTranscriptionJobCommand,
  type StartTranscriptionJobRequest,
  TranscribeClient,
} from '@aws-sdk/client-transcribe';
import { type FakeTranscribe, startFakeTranscribe } from '../../infra/local/fake-transcribe/server';
import { LOCAL_AWS_CREDENTIALS, LOCAL_AWS_REGION } from '../../infra/local/local-aws';
import { AwsBatchTranscriber, type TranscribeLanguage } from '../../lib/ai/transcribe/aws-transcribe';
import {
  TranscriptionFailedError,
  TranscriptionTimeoutError,
  UnsupportedAudioError,
} from '../../lib/ai/transcribe/errors';
import { parseMessage } from '../../lib/parsing/parse-message';
import { createDynamoResilientCaller } from '../../lib/resilience/dynamo-caller';
import { SILENT_LOGGER } from '../../lib/resilience/logger';
import type { ResilientCaller } from '../../lib/resilience/resilient-call';
import { loadVoiceFixtures, unregisteredCopy, VOICE_MANIFEST_PATH } from '../fixtures/voice/voice-fixtures';
import { createLocalTables, type LocalTables } from '../store/local-tables';

const FIXTURES = loadVoiceFixtures();
const LUNCH = FIXTURES[0]!;
const BUCKET = `voice-${randomBytes(4).toString('hex')}`;
const IDENTIFY: TranscribeLanguage = { mode: 'identify', languageOptions: ['en-US', 'pt-BR'] };

let s3: S3Client;
let fakeS3: S3Client;
let fake: FakeTranscribe;
let transcribe: TranscribeClient;
let local: LocalTables;
/** Delays that the resilience layer slept, in milliseconds; those sleeps return at once. */
const retrySleeps: number[] = [];

function s3Client(): S3Client {
  // fauxqs serves S3 on the same endpoint as SQS; the global setup sets at least the SQS variable.
  const endpoint = process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL_SQS;
  if (endpoint === undefined) {
    throw new Error(
      'AWS_ENDPOINT_URL_SQS is not set: run this test through jest without FINANCY_UNIT_ONLY=1.',
    );
  }

  return new S3Client({
    endpoint,
    forcePathStyle: true,
    region: LOCAL_AWS_REGION,
    credentials: LOCAL_AWS_CREDENTIALS,
    maxAttempts: 1,
  });
}

beforeAll(async () => {
  s3 = s3Client();
  fakeS3 = s3Client();
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  fake = await startFakeTranscribe({ s3: fakeS3, manifestPath: VOICE_MANIFEST_PATH, completionDelayMs: 100 });
  transcribe = new TranscribeClient({
    endpoint: fake.url,
    region: LOCAL_AWS_REGION,
    credentials: LOCAL_AWS_CREDENTIALS,
    maxAttempts: 1,
  });
  local = await createLocalTables('transcribe-aws');
});

afterAll(async () => {
  await fake.stop();
  transcribe.destroy();
  s3.destroy();
  fakeS3.destroy();
  local.destroy();
});

beforeEach(() => {
  fake.reset();
  retrySleeps.length = 0;
});

function transcriber(options: { language?: TranscribeLanguage; deadlineMs?: number } = {}): {
  transcriber: AwsBatchTranscriber;
  caller: ResilientCaller;
} {
  const caller = createDynamoResilientCaller({
    client: local.client,
    tableName: local.tables.resilience,
    logger: SILENT_LOGGER,
    sleep: async (ms) => {
      retrySleeps.push(ms);
    },
    breakerSettings: { failureThreshold: 1_000 },
  });

  return {
    caller,
    transcriber: new AwsBatchTranscriber({
      transcribe,
      s3,
      bucket: BUCKET,
      language: options.language ?? IDENTIFY,
      caller,
      budgetMs: () => 10_000,
      deadlineMs: options.deadlineMs ?? 5_000,
      initialPollMs: 50,
      maxPollMs: 200,
    }),
  };
}

async function objectKeys(): Promise<string[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));

  return (listed.Contents ?? []).map((object) => object.Key ?? '');
}

function operations(): string[] {
  return fake.requests.map((request) => `${request.operation} ${request.errorName ?? request.status}`);
}

describe('AwsBatchTranscriber', () => {
  it.each(FIXTURES.map((fixture) => [fixture.file, fixture] as const))(
    'turns %s into a transaction',
    async (_, fixture) => {
      const { transcriber: aws } = transcriber();

      const transcript = await aws.transcribe({ bytes: fixture.bytes, mimeType: 'audio/ogg' });
      const parsed = parseMessage(transcript.text, {
        referenceTime: new Date('2026-03-18T12:00:00Z'),
        timeZone: 'UTC',
        homeCurrency: 'USD',
      });

      expect(transcript.text).toBe(fixture.text);
      expect(transcript.language).toBe(fixture.languageCode);
      expect(transcript.durationSeconds).toBeCloseTo(fixture.durationSeconds, 3);
      expect(transcript.usage).toEqual({
        provider: 'aws-transcribe',
        model: 'standard',
        operation: 'transcribe',
        audioSeconds: transcript.durationSeconds,
      });
      expect(parsed.amount).toBe(fixture.expected.amount);
      expect(parsed.currency).toBe(fixture.expected.currency);
    },
  );

  it('starts the job on the uploaded OGG/Opus object', async () => {
    const { transcriber: aws } = transcriber({ language: { mode: 'fixed', languageCode: 'en-US' } });

    await aws.transcribe({ bytes: LUNCH.bytes, mimeType: 'audio/ogg; codecs=opus' });
    const [job] = [...fake.jobs.values()];

    expect(job?.request.mediaFileUri).toBe(`s3://${BUCKET}/voice/${LUNCH.sha256}.ogg`);
    expect(job?.request.mediaFormat).toBe('ogg');
    expect(job?.request.languageCode).toBe('en-US');
    expect(job?.request.identifyLanguage).toBe(false);
    expect(job?.request.output).toEqual({ bucket: BUCKET, key: `transcripts/${job?.request.jobName}.json` });
    expect(job?.mediaSampleRateHertz).toBe(16_000);
  });

  it('deletes the audio and the transcript afterwards', async () => {
    const { transcriber: aws } = transcriber();

    await aws.transcribe({ bytes: LUNCH.bytes, mimeType: 'audio/ogg' });

    expect(await objectKeys()).toEqual([]);
  });

  it('raises a typed error for a FAILED job', async () => {
    const { transcriber: aws } = transcriber();
    const unknown = unregisteredCopy(LUNCH);

    const error = await aws.transcribe({ bytes: unknown, mimeType: 'audio/ogg' }).catch((e) => e);

    expect(error).toBeInstanceOf(TranscriptionFailedError);
    expect(error.provider).toBe('aws-transcribe');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/FAILED: The fake Transcribe server has no transcript/);
    expect(await objectKeys()).toEqual([]);
  });

  it('reports a media format mismatch as unsupported audio', async () => {
    const { transcriber: aws } = transcriber();

    const error = await aws.transcribe({ bytes: LUNCH.bytes, mimeType: 'audio/mpeg' }).catch((e) => e);

    expect(error).toBeInstanceOf(UnsupportedAudioError);
    expect(error.message).toContain("doesn't match the detected media format");
  });

  it('rejects Ogg without Opus before any request', async () => {
    const { transcriber: aws } = transcriber();
    const vorbis = Uint8Array.from(LUNCH.bytes);
    vorbis.set(new TextEncoder().encode('\u0001vorbis\u0000'), 28);

    await expect(aws.transcribe({ bytes: vorbis, mimeType: 'audio/ogg' })).rejects.toThrow(
      UnsupportedAudioError,
    );
    expect(fake.requests).toHaveLength(0);
    expect(await objectKeys()).toEqual([]);
  });

  it('times out a job that does not finish by the deadline', async () => {
    const { transcriber: aws } = transcriber({ deadlineMs: 400 });
    fake.setCompletionDelay(60_000);
    const startedAtMs = Date.now();

    const error = await aws.transcribe({ bytes: LUNCH.bytes, mimeType: 'audio/ogg' }).catch((e) => e);

    expect(error).toBeInstanceOf(TranscriptionTimeoutError);
    expect(error.deadlineMs).toBe(400);
    expect(error.lastStatus).toBe('IN_PROGRESS');
    expect(Date.now() - startedAtMs).toBeLessThan(2_000);
    expect(
      operations().filter((operation) => operation.startsWith('GetTranscriptionJob')).length,
    ).toBeGreaterThan(1);
    expect(await objectKeys()).toEqual([]);
  });

  it('retries a throttled start through the resilience layer', async () => {
    const { transcriber: aws, caller } = transcriber();
    fake.throttleNext(1);

    const transcript = await aws.transcribe({ bytes: LUNCH.bytes, mimeType: 'audio/ogg' });

    expect(transcript.text).toBe(LUNCH.text);
    expect(operations().slice(0, 2)).toEqual([
      'StartTranscriptionJob LimitExceededException',
      'StartTranscriptionJob 200',
    ]);
    expect(caller.stats.retries).toBe(1);
    expect(retrySleeps).toHaveLength(1);
  });
});

describe('fake Amazon Transcribe', () => {
  function startRequest(overrides: Partial<StartTranscriptionJobRequest> = {}): StartTranscriptionJobRequest {
    return {
      TranscriptionJobName: `job-${randomBytes(4).toString('hex')}`,
      Media: { MediaFileUri: `s3://${BUCKET}/fake/${LUNCH.file}` },
      MediaFormat: 'ogg',
      LanguageCode: 'en-US',
      OutputBucketName: BUCKET,
      ...overrides,
    };
  }

  beforeAll(async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `fake/${LUNCH.file}`, Body: LUNCH.bytes }));
  });

  it('rejects a duplicate job name with ConflictException', async () => {
    const request = startRequest();
    await transcribe.send(new StartTranscriptionJobCommand(request));

    await expect(transcribe.send(new StartTranscriptionJobCommand(request))).rejects.toBeInstanceOf(
      ConflictException,
    );
  });

  it('rejects a missing S3 object with BadRequestException', async () => {
    const request = startRequest({ Media: { MediaFileUri: `s3://${BUCKET}/fake/missing.ogg` } });

    const error = await transcribe.send(new StartTranscriptionJobCommand(request)).catch((e) => e);

    expect(error).toBeInstanceOf(BadRequestException);
    expect(error.message).toContain("can't be accessed");
  });

  it('rejects an unknown media format with BadRequestException', async () => {
    const request = startRequest({ MediaFormat: 'aiff' as StartTranscriptionJobRequest['MediaFormat'] });

    await expect(transcribe.send(new StartTranscriptionJobCommand(request))).rejects.toBeInstanceOf(
      BadRequestException,
    );
  });

  it('rejects a job without a language setting', async () => {
    const request = startRequest({ LanguageCode: undefined });

    await expect(transcribe.send(new StartTranscriptionJobCommand(request))).rejects.toThrow(
      /exactly one of/,
    );
  });

  it('returns NotFoundException for an unknown job', async () => {
    await expect(
      transcribe.send(new GetTranscriptionJobCommand({ TranscriptionJobName: 'no-such-job' })),
    ).rejects.toBeInstanceOf(NotFoundException);
  });

  it('moves a job from IN_PROGRESS to COMPLETED with a transcript file', async () => {
    const request = startRequest({ OutputKey: 'out/' });
    const started = await transcribe.send(new StartTranscriptionJobCommand(request));
    await new Promise((resolve) => setTimeout(resolve, 150));

    const done = await transcribe.send(
      new GetTranscriptionJobCommand({ TranscriptionJobName: request.TranscriptionJobName }),
    );

    expect(started.TranscriptionJob?.TranscriptionJobStatus).toBe('IN_PROGRESS');
    expect(done.TranscriptionJob?.TranscriptionJobStatus).toBe('COMPLETED');
    expect(done.TranscriptionJob?.CompletionTime).toBeInstanceOf(Date);
    expect(done.TranscriptionJob?.Transcript?.TranscriptFileUri).toBe(
      `https://s3.us-east-1.amazonaws.com/${BUCKET}/out/${request.TranscriptionJobName}.json`,
    );
  });

  it('rejects an unsigned request', async () => {
    const response = await fetch(fake.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'Transcribe.GetTranscriptionJob',
      },
      body: JSON.stringify({ TranscriptionJobName: 'any' }),
    });

    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      __type: 'MissingAuthenticationTokenException',
      Message: 'Missing Authentication Token',
    });
  });
});
