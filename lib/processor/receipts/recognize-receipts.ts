import Decimal from 'decimal.js';
import type { AiFallbackReason } from '../../observability/metric-names';
import type { OcrEngine, OcrImage, OcrResult } from '../../receipts/ocr/engine';
import { OcrImageError } from '../../receipts/ocr/errors';
import { CircuitOpenError } from '../../resilience/errors';
import { budgetAllows, isPermanentFailure, meterUsage } from '../ai/understand-text';
import type { HandlerContext } from '../handlers/context';

/**
 * Outcome of reading receipt images: one result per image, in the order given. Otherwise `budget-spent`,
 * when the user's daily AI budget does not cover the paid engine and no offline engine runs here, or
 * `unavailable`, when the provider rejected the request and no offline engine can take over.
 */
export type RecognizeOutcome = { results: OcrResult[] } | { skipped: 'budget-spent' | 'unavailable' };

/**
 * Reads receipt images in one call: the paid engine (Google Vision, which takes up to 16 images per request)
 * while the user's daily budget covers all of them and the engine responds, and offline OCR otherwise. The
 * meter counts each fallback and records the usage of every image read.
 */
export async function recognizeReceipts(
  images: readonly OcrImage[],
  eventKey: string,
  context: Pick<HandlerContext, 'dependencies' | 'user'>,
): Promise<RecognizeOutcome> {
  const { dependencies, user } = context;
  const ai = dependencies.ai!;
  const offline = ai.offlineOcr;
  // Offline OCR costs nothing, so only the paid engine checks the budget.
  let engine: OcrEngine | undefined = ai.ocr ?? offline;
  const estimateUsd = new Decimal(ai.ocrEstimateUsd).mul(images.length).toString();
  if (engine === ai.ocr && !(await budgetAllows('ocr', estimateUsd, user, dependencies))) {
    engine = offline;
  }
  if (engine === undefined) {
    return { skipped: 'budget-spent' };
  }

  let results: OcrResult[];
  try {
    results = await engine.recognize(images);
  } catch (error) {
    const details = {
      eventKey,
      images: images.length,
      error: error instanceof Error ? error.name : 'unknown',
    };
    if (engine !== offline && offline === undefined && isPermanentFailure(error)) {
      // A rejected key or request and no offline engine here: retrying the record cannot help.
      ai.meter.fallback('ocr', 'error');
      dependencies.logger.warn('Receipt not read: the OCR provider rejected the request', details);
      return { skipped: 'unavailable' };
    }
    if (engine === offline || offline === undefined || error instanceof OcrImageError) {
      throw error;
    }
    const reason: AiFallbackReason = error instanceof CircuitOpenError ? 'breaker-open' : 'error';
    ai.meter.fallback('ocr', reason);
    dependencies.logger.warn('Receipt OCR failed; reading it offline', details);
    results = await offline.recognize(images);
  }
  for (const result of results) {
    await meterUsage(result.usage, user, dependencies);
  }

  return { results };
}
