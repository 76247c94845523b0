import type { AiBudget } from '../../ai/budget';
import type { AiCategorizer } from '../../ai/categorize';
import type { AiCostMeter } from '../../ai/cost-meter';
import type { InsightsGenerator } from '../../ai/insights';
import type { InsightsCache } from '../../ai/insights-cache';
import type { Transcriber } from '../../ai/transcribe/transcriber';
import type { ReceiptArchive } from '../../receipts/archive';
import type { OcrEngine } from '../../receipts/ocr/engine';

/** The AI summary of /stats: the generator, its daily cache and the estimated cost of one summary. */
export interface ProcessorInsights {
  /** Generates a month's summary, or returns the one cached for the user's day. */
  generator: Pick<InsightsGenerator, 'cachedMonthSummary'>;
  /** The generator's cache, read first so a cached summary is shown even when the budget is spent. */
  cache: Pick<InsightsCache, 'get'>;
  /** Estimated cost in USD of one summary, checked against the budget before the call. */
  estimateUsd: string;
}

/**
 * The AI services of the processor. Each is optional: without a categorizer the local parser answers
 * alone, without a transcriber voice notes get a reply that they cannot be read, and so on.
 */
export interface ProcessorAi {
  /** Reads messages the local parser is unsure about (OpenAI). */
  categorizer?: Pick<AiCategorizer, 'understand'>;
  /** The AI summary of /stats, absent unless AI_INSIGHTS is on and an OpenAI key is configured. */
  insights?: ProcessorInsights;
  /** Turns voice notes and audio files into text (Whisper or Amazon Transcribe). */
  transcriber?: Transcriber;
  /** Reads receipt images: Google Vision when configured, offline tesseract otherwise. */
  ocr?: OcrEngine;
  /** The OCR engine used when the user's daily AI budget is spent: offline tesseract. */
  offlineOcr?: OcrEngine;
  /** Stores receipt images, because channel file ids do not last; absent where no bucket is configured. */
  receiptArchive?: Pick<ReceiptArchive, 'put'>;
  /** Per-user daily AI budget; absent means no limit. */
  budget?: Pick<AiBudget, 'allow' | 'spend'>;
  /** Meters every AI call of the invocation; the processor handler flushes it per invocation. */
  meter: Pick<AiCostMeter, 'record' | 'fallback' | 'flush'>;
  /** Estimated cost in USD of one categorize call, checked against the budget before the call. */
  categorizeEstimateUsd: string;
  /** Estimated cost in USD of transcribing one voice note, checked against the budget before the call. */
  transcribeEstimateUsd: string;
  /** Estimated cost in USD of reading one receipt image with the paid OCR engine. */
  ocrEstimateUsd: string;
  /** Largest image the processor downloads for OCR, in bytes. */
  maxImageBytes: number;
  /**
   * Stops what keeps the process alive between invocations, such as the offline OCR worker thread; for the
   * local stack and tests, since Lambda freezes the process instead.
   */
  close?(): Promise<void>;
}
