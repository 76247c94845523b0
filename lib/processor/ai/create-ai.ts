import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AiBudget } from '../../ai/budget';
import { DynamoAiSpendStore } from '../../ai/budget-store';
import { AiCategorizer } from '../../ai/categorize';
import { AiCostMeter } from '../../ai/cost-meter';
import { InsightsGenerator } from '../../ai/insights';
import { MarkerInsightsCache } from '../../ai/insights-cache';
import { OpenAiClient } from '../../ai/openai/client';
import { costOf } from '../../ai/pricing';
import { createTranscriber, type Transcriber } from '../../ai/transcribe';
import type { ProcessorAiConfig } from '../../config';
import type { MetricsSink } from '../../observability/metric-names';
import { ReceiptArchive } from '../../receipts/archive';
import { createVisionApiKeyLoader } from '../../receipts/ocr/api-key';
import type { OcrEngine } from '../../receipts/ocr/engine';
import { TesseractOcrEngine } from '../../receipts/ocr/tesseract';
import { VisionOcrEngine } from '../../receipts/ocr/vision';
import type { ResilienceLogger } from '../../resilience/logger';
import type { ResilientCaller } from '../../resilience/resilient-call';
import { createOpenAiKeyLoader, type OpenAiKeyLoader } from '../../secrets/openai-key';
import type { IdempotencyStore } from '../../store/idempotency-store';
import type { ProcessorAi, ProcessorInsights } from './services';

/** What {@link createProcessorAi} builds the services on. */
export interface ProcessorAiDependencies {
  client: DynamoDBDocumentClient;
  usersTable: string;
  resilience: ResilientCaller;
  /** Time a provider call may still take in the current invocation. */
  budgetMs: () => number;
  metrics: MetricsSink;
  logger: ResilienceLogger;
  now: () => number;
  /** Loader of the OpenAI key in place of the configured source, for tests. */
  loadOpenAiKey?: OpenAiKeyLoader;
  /** Markers of the idempotency table, where /stats summaries are cached per user and day. */
  markers: Pick<IdempotencyStore, 'getMarker' | 'putMarker'>;
}

/** Tokens of a typical categorize call (system prompt, corrections, message; the answer), for the budget check. */
const CATEGORIZE_ESTIMATE = { inputTokens: 900, outputTokens: 120 };
/**
 * Estimated tokens of a typical insights call, for the budget check: the system prompt with up to 15
 * category lines, and a summary of at most 160 tokens.
 */
const INSIGHTS_ESTIMATE = { inputTokens: 350, outputTokens: 160 };
/** Seconds of a typical voice note, for the budget check before its length is known. */
const VOICE_ESTIMATE_SECONDS = 30;

/**
 * Builds what is needed on first use with the current OpenAI key, and again after the key changes, since
 * the key comes from a cached secret that can be rotated.
 */
function keyed<T>(loadKey: OpenAiKeyLoader, build: (apiKey: string) => T): () => Promise<T> {
  let current: { apiKey: string; value: T } | undefined;

  return async () => {
    const apiKey = await loadKey();
    if (current?.apiKey !== apiKey) {
      current = { apiKey, value: build(apiKey) };
    }
    return current.value;
  };
}

function estimateUsd(usage: Parameters<typeof costOf>[0]): string {
  try {
    return costOf(usage).toString();
  } catch {
    // A model missing from the price table is not held back by the budget check; the meter logs it.
    return '0';
  }
}

/**
 * Builds the processor's AI services from configuration. With an OpenAI key these are the categorizer and
 * Whisper (or Amazon Transcribe), and the /stats summary when AI_INSIGHTS is on as well. The others are
 * Google Vision or offline tesseract.js for receipts, the receipt archive, the per-user daily budget and
 * the cost meter. Services without configuration stay absent.
 */
export function createProcessorAi(
  config: ProcessorAiConfig,
  dependencies: ProcessorAiDependencies,
): ProcessorAi {
  const { resilience: caller, budgetMs, logger } = dependencies;
  const openai = config.openai;
  const loadKey =
    openai.apiKey === undefined
      ? undefined
      : (dependencies.loadOpenAiKey ?? createOpenAiKeyLoader(openai.apiKey));

  let categorizer: ProcessorAi['categorizer'];
  if (loadKey !== undefined) {
    const build = keyed(
      loadKey,
      (apiKey) =>
        new AiCategorizer({
          client: new OpenAiClient({ apiKey, baseURL: openai.baseURL, timeoutMs: openai.timeoutMs, caller }),
          model: openai.model,
          budgetMs,
          logger,
        }),
    );
    categorizer = { understand: async (text, context) => (await build()).understand(text, context) };
  }

  let insights: ProcessorInsights | undefined;
  if (loadKey !== undefined && openai.insightsEnabled) {
    const cache = new MarkerInsightsCache(dependencies.markers);
    const build = keyed(
      loadKey,
      (apiKey) =>
        new InsightsGenerator({
          client: new OpenAiClient({ apiKey, baseURL: openai.baseURL, timeoutMs: openai.timeoutMs, caller }),
          model: openai.model,
          budgetMs,
          cache,
        }),
    );
    insights = {
      generator: {
        cachedMonthSummary: async (...summary) => (await build()).cachedMonthSummary(...summary),
      },
      cache,
      estimateUsd: estimateUsd({
        provider: 'openai',
        model: openai.model,
        operation: 'insights',
        ...INSIGHTS_ESTIMATE,
      }),
    };
  }

  let transcriber: Transcriber | undefined;
  const voice = config.voice;
  if (voice !== undefined) {
    const build =
      voice.transcriber === 'whisper' && loadKey !== undefined
        ? keyed(loadKey, (apiKey) =>
            createTranscriber(voice, {
              caller,
              budgetMs,
              logger,
              openai: { apiKey, baseURL: openai.baseURL, timeoutMs: openai.timeoutMs },
            }),
          )
        : async () => createTranscriber(voice, { caller, budgetMs, logger });
    transcriber = { transcribe: async (audio, options) => (await build()).transcribe(audio, options) };
  }

  const tesseract = config.offlineOcr ? new TesseractOcrEngine() : undefined;
  const offlineOcr: OcrEngine | undefined = tesseract;
  const ocr: OcrEngine | undefined =
    config.ocr.engine === 'google-vision'
      ? new VisionOcrEngine({
          apiKey: createVisionApiKeyLoader(config.ocr.vision.apiKey),
          apiEndpoint: config.ocr.vision.apiEndpoint,
          requestTimeoutMs: config.ocr.vision.requestTimeoutMs,
          caller,
          budgetMs,
        })
      : undefined;

  return {
    categorizer,
    insights,
    transcriber,
    ocr,
    offlineOcr,
    receiptArchive:
      config.receiptArchive === undefined
        ? undefined
        : new ReceiptArchive({ config: config.receiptArchive, caller, budgetMs }),
    budget: new AiBudget({
      store: new DynamoAiSpendStore({ client: dependencies.client, usersTable: dependencies.usersTable }),
      dailyLimitMicroUsd: config.budget.dailyLimitMicroUsd,
      now: dependencies.now,
    }),
    meter: new AiCostMeter({ metrics: dependencies.metrics, logger }),
    categorizeEstimateUsd: estimateUsd({
      provider: 'openai',
      model: openai.model,
      operation: 'categorize',
      ...CATEGORIZE_ESTIMATE,
    }),
    transcribeEstimateUsd: estimateUsd(
      voice?.transcriber === 'transcribe'
        ? {
            provider: 'aws-transcribe',
            model: 'standard',
            operation: 'transcribe',
            audioSeconds: VOICE_ESTIMATE_SECONDS,
          }
        : {
            provider: 'openai',
            model: voice?.transcriber === 'whisper' ? voice.whisperModel : 'whisper-1',
            operation: 'transcribe',
            audioSeconds: VOICE_ESTIMATE_SECONDS,
          },
    ),
    ocrEstimateUsd: estimateUsd({
      provider: 'google-vision',
      model: 'DOCUMENT_TEXT_DETECTION',
      operation: 'ocr',
      images: 1,
    }),
    maxImageBytes: config.maxImageBytes,
    close: async () => {
      await tesseract?.terminate();
    },
  };
}
