/**
 * Receipt-parser accuracy and speed on the labeled OCR texts in test/fixtures/receipts/. `bench/run.ts` calls
 * {@link benchReceiptParser} and prints the result.
 */
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  parseLabeledReceipt,
  type ReceiptAccuracyReport,
  readReceiptLabels,
  scoreReceipts,
} from '../lib/receipts/accuracy';
import { summarize, type TimingSummary } from './stats';

/** Default labels file; `npm run bench` runs from the repository root, as bench/bundles.ts assumes too. */
export const RECEIPT_LABELS = resolve('test/fixtures/receipts/labels.jsonl');

/** Accuracy per field and parse time per receipt. */
export interface ReceiptBenchResult {
  receipts: number;
  rounds: number;
  /** Share of receipts (0 to 1) with the field right. */
  accuracy: { total: number; merchant: number; date: number; currency: number; allFields: number };
  report: ReceiptAccuracyReport;
  /** Milliseconds per receipt: each sample is one round over every receipt divided by their number. */
  timing: TimingSummary;
  /** Median milliseconds per receipt over the rounds. */
  medianMsPerReceipt: number;
}

/**
 * Scores the parser on the labeled set, then parses every receipt `rounds` times (after one warm-up round)
 * and reports the median time per receipt.
 */
export function benchReceiptParser(rounds = 20, labelsFile = RECEIPT_LABELS): ReceiptBenchResult {
  const receipts = readReceiptLabels(labelsFile);
  const report = scoreReceipts(
    receipts.map((receipt) => ({ label: receipt.label, parse: parseLabeledReceipt(receipt) })),
  );

  const samples: number[] = [];
  for (let round = 0; round <= rounds; round += 1) {
    const start = performance.now();
    for (const receipt of receipts) {
      parseLabeledReceipt(receipt);
    }

    const perReceipt = (performance.now() - start) / Math.max(1, receipts.length);
    if (round > 0) {
      samples.push(perReceipt);
    }
  }

  const accuracyOf = (field: string) => report.fields.find((entry) => entry.field === field)?.accuracy ?? 0;
  const timing = summarize(samples);
  return {
    receipts: receipts.length,
    rounds,
    accuracy: {
      total: accuracyOf('total'),
      merchant: accuracyOf('merchant'),
      date: accuracyOf('date'),
      currency: accuracyOf('currency'),
      allFields: report.allFields,
    },
    report,
    timing,
    medianMsPerReceipt: timing.medianMs,
  };
}
