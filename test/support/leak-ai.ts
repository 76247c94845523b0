/**
 * The AI part of the log-leak test: fake OpenAI and Vision servers that require planted keys, a Whisper
 * transcript and a receipt text with planted merchants and amounts, and the drive of the processor's AI
 * paths (unsure text, OpenAI quota error, voice note, receipt through Vision and through offline OCR after
 * Vision fails).
 */
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { Update } from '@grammyjs/types';
import { OPENAI_FAILURES } from '../../infra/local/fake-openai/responses';
import { type FakeOpenAi, startFakeOpenAi } from '../../infra/local/fake-openai/server';
import type { FakeTelegram } from '../../infra/local/fake-telegram/types';
import { VISION_ERRORS } from '../../infra/local/fake-vision/responses';
import { type FakeVision, startFakeVision } from '../../infra/local/fake-vision/server';
import { LOCAL_VOICE_MANIFEST } from '../../infra/local/local-ai';
import type { LocalStack } from '../../infra/local/stack';
import type { ChatUser } from '../../infra/local/update-factory';
import { textUpdate } from '../../infra/local/update-factory';
import { RESILIENCE_LIMITS } from '../../lib/resilience/limits';
import { receiptImage } from '../fixtures/receipts/images/receipt-images';
import { loadVoiceFixtures, unregisteredCopy } from '../fixtures/voice/voice-fixtures';
import { mediaUpdate, photoOf } from '../processor/ai/chat-media';
import type { PlantedValue } from './leak-planted';

/** OpenAI API key in the `sk-proj-` form of project keys. */
export const PLANTED_OPENAI_API_KEY = 'sk-proj-LeakOpenAiKey7Qx2Vb9Nd4Km6Hq8Pz3Wt5Ys1Rc';
/** Google API key: `AIza` and 35 more characters, as Google issues them. */
export const PLANTED_VISION_API_KEY = 'AIzaSyLeakVisionKey-4Tq8Wm2Zx6Bn0Pc3Lv';
/** Merchant and amount of a message that the local parser is unsure about, so OpenAI reads it. */
export const PLANTED_AI_MERCHANT = 'Wobblecrest';
export const PLANTED_AI_AMOUNT = '2917.46';
export const PLANTED_AI_TEXT = `paid ${PLANTED_AI_AMOUNT} at ${PLANTED_AI_MERCHANT}`;
/** What the fake Whisper hears in the planted voice note. */
export const PLANTED_TRANSCRIPT_MERCHANT = 'Vorpelgrind';
export const PLANTED_TRANSCRIPT_AMOUNT = '6184.37';
export const PLANTED_TRANSCRIPT = `spent ${PLANTED_TRANSCRIPT_AMOUNT} dollars at ${PLANTED_TRANSCRIPT_MERCHANT}`;
/** What the fake Vision reads on every receipt image. */
export const PLANTED_RECEIPT_MERCHANT = 'Krumbleton Bistro';
export const PLANTED_RECEIPT_TOTAL = '7315.42';
export const PLANTED_RECEIPT_TEXT = [
  PLANTED_RECEIPT_MERCHANT.toUpperCase(),
  '14 Quarry Lane',
  'Date: 03/11/2026 19:42',
  'Flat white            4.20',
  'Tasting menu       7311.22',
  `TOTAL              ${PLANTED_RECEIPT_TOTAL}`,
  'VISA ****4821',
].join('\n');

/** Returns the planted values of the AI paths. */
export function aiPlantedValues(): PlantedValue[] {
  return [
    { label: 'OpenAI API key', value: PLANTED_OPENAI_API_KEY },
    { label: 'Vision API key', value: PLANTED_VISION_API_KEY },
    { label: 'unsure message text', value: PLANTED_AI_TEXT },
    { label: 'unsure message merchant', value: PLANTED_AI_MERCHANT },
    { label: 'unsure message amount', value: PLANTED_AI_AMOUNT },
    { label: 'voice transcript', value: PLANTED_TRANSCRIPT },
    { label: 'voice transcript merchant', value: PLANTED_TRANSCRIPT_MERCHANT },
    { label: 'voice transcript amount', value: PLANTED_TRANSCRIPT_AMOUNT },
    { label: 'receipt text', value: PLANTED_RECEIPT_TEXT },
    { label: 'receipt merchant', value: PLANTED_RECEIPT_MERCHANT },
    { label: 'receipt total', value: PLANTED_RECEIPT_TOTAL },
  ];
}

/** The fake AI providers of the log-leak test and the processor environment that points at them. */
export interface LeakAi {
  openai: FakeOpenAi;
  vision: FakeVision;
  /** OPENAI_API_KEY, OPENAI_BASE_URL, VISION_API_KEY, VISION_API_ENDPOINT and RECEIPTS_BUCKET. */
  environment: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Starts the fake OpenAI and Vision servers with the planted keys, the Vision fake reading
 * {@link PLANTED_RECEIPT_TEXT} on every image, and creates the receipts bucket on fauxqs.
 */
export async function startLeakAi(prefix: string): Promise<LeakAi> {
  const s3 = new S3Client({ endpoint: process.env.AWS_ENDPOINT_URL_S3, forcePathStyle: true });
  const bucket = `${prefix}-receipts`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  s3.destroy();
  const openai = await startFakeOpenAi({
    apiKey: PLANTED_OPENAI_API_KEY,
    audioManifestPath: LOCAL_VOICE_MANIFEST,
  });
  const vision = await startFakeVision({
    apiKey: PLANTED_VISION_API_KEY,
    readText: async () => PLANTED_RECEIPT_TEXT,
  });

  return {
    openai,
    vision,
    environment: {
      OPENAI_API_KEY: PLANTED_OPENAI_API_KEY,
      OPENAI_BASE_URL: openai.baseURL,
      VISION_API_KEY: PLANTED_VISION_API_KEY,
      VISION_API_ENDPOINT: vision.url,
      RECEIPTS_BUCKET: bucket,
    },
    async stop() {
      await Promise.all([openai.stop(), vision.stop()]);
    },
  };
}

/** What the AI drive saw, to check that each path ran. */
export interface AiObservations {
  /** HTTP statuses of the fake OpenAI's chat completions, in order. */
  chatStatuses: number[];
  /** HTTP statuses of the fake OpenAI's transcriptions, in order. */
  transcriptionStatuses: number[];
  /** HTTP statuses of the fake Vision's requests, in order. */
  visionStatuses: number[];
}

/** Dependencies of {@link driveAi}. */
export interface AiDriveContext {
  stack: LocalStack;
  telegram: FakeTelegram;
  ai: LeakAi;
  user: ChatUser;
  /** Posts an update to the webhook with the right secret and waits until the processor is done. */
  deliver(label: string, update: Update): Promise<void>;
}

/**
 * Sends the planted unsure message twice (answered, then with OpenAI's quota error), a voice note whose
 * transcript is planted, and a receipt photo twice (read by Vision, then offline after Vision fails).
 */
export async function driveAi(context: AiDriveContext): Promise<AiObservations> {
  const { telegram, ai, user, deliver } = context;

  await deliver('unsure message', textUpdate(PLANTED_AI_TEXT, { user }));
  ai.openai.respondNext(OPENAI_FAILURES.insufficientQuota);
  await deliver('unsure message during quota error', textUpdate(PLANTED_AI_TEXT, { user }));

  const [fixture] = loadVoiceFixtures();
  const audio = unregisteredCopy(fixture!);
  ai.openai.registerAudio(audio, PLANTED_TRANSCRIPT, fixture!.durationSeconds);
  const stored = telegram.addFile({ bytes: Buffer.from(audio), fileName: 'voice/leak.ogg' });
  await deliver(
    'voice note',
    mediaUpdate(user, {
      voice: {
        file_id: stored.file_id,
        file_unique_id: stored.file_unique_id,
        duration: Math.ceil(fixture!.durationSeconds),
        mime_type: 'audio/ogg',
        file_size: audio.byteLength,
      },
    }),
  );

  const image = receiptImage('diner').bytes;
  await deliver('receipt', photoOf(telegram, user, image, 'leak-receipt'));
  ai.vision.failNext(VISION_ERRORS.unavailable, RESILIENCE_LIMITS.retry.maxAttempts);
  await deliver('receipt during Vision 503', photoOf(telegram, user, image, 'leak-receipt'));

  const statuses = (path: string) =>
    ai.openai.requests.filter((request) => request.path === path).map((request) => request.status);
  return {
    chatStatuses: statuses('/v1/chat/completions'),
    transcriptionStatuses: statuses('/v1/audio/transcriptions'),
    visionStatuses: ai.vision.calls.map((call) => call.status),
  };
}
