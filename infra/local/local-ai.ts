import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { type FakeOpenAi, startFakeOpenAi } from './fake-openai/server';
import { type FakeTranscribe, startFakeTranscribe } from './fake-transcribe/server';
import { type FakeVision, startFakeVision } from './fake-vision/server';

/**
 * Voice notes whose transcripts the fake providers know: the committed fixtures. The path is resolved from
 * the working directory, the repository root under npm scripts and jest, because `__dirname` does not
 * exist when `npm start` runs this module as ESM.
 */
export const LOCAL_VOICE_MANIFEST = path.resolve(process.cwd(), 'test/fixtures/voice/manifest.json');

/** Options of {@link startLocalAi}. */
export interface LocalAiOptions {
  /** Prefix of the bucket names. */
  prefix: string;
  /**
   * Which provider transcribes voice notes: Whisper on the fake OpenAI server, or Amazon Transcribe on its
   * fake with fauxqs S3.
   * @default 'whisper'
   */
  transcriber?: 'whisper' | 'transcribe';
  /**
   * Whether receipts are read by the fake Vision server; otherwise offline tesseract.js reads them.
   * @default true
   */
  vision?: boolean;
}

/** The running fake AI providers and the environment that points the processor at them. */
export interface LocalAi {
  openai: FakeOpenAi;
  vision?: FakeVision;
  transcribe?: FakeTranscribe;
  /** OPENAI_*, VISION_*, TRANSCRIBER, TRANSCRIBE_* and RECEIPTS_BUCKET for the processor. */
  environment: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Starts the fake OpenAI server (chat and Whisper), the fake Vision server and, when chosen, the fake
 * Amazon Transcribe, all on 127.0.0.1, and creates the receipts and transcription buckets on fauxqs (the
 * S3 endpoint of AWS_ENDPOINT_URL_S3). The fakes know the transcripts of the committed voice fixtures.
 */
export async function startLocalAi(options: LocalAiOptions): Promise<LocalAi> {
  const s3 = new S3Client({ endpoint: process.env.AWS_ENDPOINT_URL_S3, forcePathStyle: true });
  const receiptsBucket = `${options.prefix}-receipts`;
  const transcribeBucket = `${options.prefix}-transcribe`;
  const started: Array<{ stop(): Promise<void> }> = [];
  try {
    for (const bucket of [receiptsBucket, transcribeBucket]) {
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    }
    const openai = await startFakeOpenAi({
      apiKey: `sk-local-${randomBytes(12).toString('hex')}`,
      audioManifestPath: LOCAL_VOICE_MANIFEST,
    });
    started.push(openai);
    const vision =
      options.vision === false
        ? undefined
        : await startFakeVision({ apiKey: randomBytes(12).toString('hex') });
    if (vision !== undefined) {
      started.push(vision);
    }
    const transcribe =
      options.transcriber === 'transcribe'
        ? await startFakeTranscribe({ s3, manifestPath: LOCAL_VOICE_MANIFEST })
        : undefined;
    if (transcribe !== undefined) {
      started.push(transcribe);
    }

    return {
      openai,
      vision,
      transcribe,
      environment: {
        OPENAI_API_KEY: openai.apiKey,
        OPENAI_BASE_URL: openai.baseURL,
        // The fake OpenAI server writes the summaries, so users can try /settings insights on.
        AI_INSIGHTS: 'true',
        RECEIPTS_BUCKET: receiptsBucket,
        ...(vision === undefined ? {} : { VISION_API_KEY: vision.apiKey, VISION_API_ENDPOINT: vision.url }),
        ...(transcribe === undefined
          ? {}
          : {
              TRANSCRIBER: 'transcribe',
              TRANSCRIBE_BUCKET: transcribeBucket,
              AWS_ENDPOINT_URL_TRANSCRIBE: transcribe.url,
            }),
      },
      async stop() {
        await Promise.all(started.map((fake) => fake.stop()));
        s3.destroy();
      },
    };
  } catch (error) {
    await Promise.all(started.map((fake) => fake.stop()));
    s3.destroy();
    throw error;
  }
}
