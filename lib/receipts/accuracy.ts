import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Decimal from 'decimal.js';
import { parseReceipt } from './parse-receipt';
import type { ReceiptParse } from './types';

/** The fields a labeled receipt states and the accuracy report scores. */
export const RECEIPT_FIELDS = ['total', 'merchant', 'date', 'currency'] as const;

/** One scored field of {@link ReceiptParse}. */
export type ReceiptField = (typeof RECEIPT_FIELDS)[number];

/** One line of `test/fixtures/receipts/labels.jsonl`: what a person reads on the receipt in `file`. */
export interface ReceiptLabel {
  /** OCR text file, relative to the labels file. */
  file: string;
  merchant: string | null;
  date: string | null;
  currency: string | null;
  total: string | null;
  /** The user's home currency when the receipt was sent. Default: USD. */
  home_currency?: string;
  /** The user's local date when the receipt was sent, `YYYY-MM-DD`. */
  reference_date?: string;
  /** Where the text came from, for example `shared/cases RCPT-01`. */
  source?: string;
}

/** A labeled receipt with its OCR text loaded. */
export interface LabeledReceipt {
  label: ReceiptLabel;
  text: string;
}

/** Raised when a labels line is not valid JSON or misses a field. */
export class ReceiptLabelsError extends Error {
  override readonly name = 'ReceiptLabelsError';
}

/**
 * Reads the labels file and each receipt's text; blank lines are skipped.
 * @throws ReceiptLabelsError when a line is not a JSON object with file, merchant, date, currency and total.
 */
export function readReceiptLabels(labelsFile: string): LabeledReceipt[] {
  const directory = dirname(resolve(labelsFile));
  const receipts: LabeledReceipt[] = [];
  for (const [index, line] of readFileSync(labelsFile, 'utf8').split(/\r?\n/).entries()) {
    if (line.trim() === '') {
      continue;
    }

    let label: ReceiptLabel;
    try {
      label = JSON.parse(line) as ReceiptLabel;
    } catch (error) {
      throw new ReceiptLabelsError(
        `Invalid labels line ${labelsFile}:${index + 1}: ${(error as Error).message}`,
      );
    }

    const missing = ['file', ...RECEIPT_FIELDS].filter((field) => !(field in label));
    if (missing.length > 0) {
      throw new ReceiptLabelsError(
        `Invalid labels line ${labelsFile}:${index + 1}: missing ${missing.join(', ')}`,
      );
    }

    receipts.push({ label, text: readFileSync(resolve(directory, label.file), 'utf8') });
  }

  return receipts;
}

/** Parses a labeled receipt with its own home currency and reference date. */
export function parseLabeledReceipt(receipt: LabeledReceipt): ReceiptParse {
  return parseReceipt(receipt.text, {
    homeCurrency: receipt.label.home_currency ?? 'USD',
    ...(receipt.label.reference_date ? { referenceDate: receipt.label.reference_date } : {}),
  });
}

/** A field whose parsed value differs from the label. */
export interface ReceiptMiss {
  file: string;
  field: ReceiptField;
  expected: string | null;
  actual: string | null;
}

/** Correct results for one field. */
export interface ReceiptFieldAccuracy {
  field: ReceiptField;
  correct: number;
  total: number;
  /** `correct / total`, from 0 to 1. */
  accuracy: number;
}

/** Per-field accuracy over the labeled set, with every miss. */
export interface ReceiptAccuracyReport {
  receipts: number;
  fields: ReceiptFieldAccuracy[];
  /** Share of receipts whose four fields are all correct. */
  allFields: number;
  misses: ReceiptMiss[];
}

function normalizeName(name: string): string {
  return name.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();
}

/**
 * Totals compare as numbers (`9.8` equals `9.80`); merchants ignore letter case and repeated spaces, since
 * receipts print names in capitals; dates and currencies compare exactly.
 */
function fieldMatches(field: ReceiptField, expected: string | null, actual: string | null): boolean {
  if (expected === null || actual === null) {
    return expected === actual;
  }

  if (field === 'total') {
    return new Decimal(expected).equals(new Decimal(actual));
  }

  if (field === 'merchant') {
    return normalizeName(expected) === normalizeName(actual);
  }

  return expected === actual;
}

/** Scores already-parsed receipts against their labels. */
export function scoreReceipts(
  results: ReadonlyArray<{ label: ReceiptLabel; parse: ReceiptParse }>,
): ReceiptAccuracyReport {
  const correct = new Map<ReceiptField, number>(RECEIPT_FIELDS.map((field) => [field, 0]));
  const misses: ReceiptMiss[] = [];
  let allCorrect = 0;
  for (const { label, parse } of results) {
    let receiptCorrect = true;
    for (const field of RECEIPT_FIELDS) {
      const expected = label[field];
      const actual = parse[field];
      if (fieldMatches(field, expected, actual)) {
        correct.set(field, correct.get(field)! + 1);
      } else {
        receiptCorrect = false;
        misses.push({ file: label.file, field, expected, actual });
      }
    }

    allCorrect += receiptCorrect ? 1 : 0;
  }

  const receipts = results.length;
  const share = (count: number) => (receipts === 0 ? 0 : count / receipts);
  return {
    receipts,
    fields: RECEIPT_FIELDS.map((field) => ({
      field,
      correct: correct.get(field)!,
      total: receipts,
      accuracy: share(correct.get(field)!),
    })),
    allFields: share(allCorrect),
    misses,
  };
}

/** Parses every receipt of the labels file and scores total, merchant, date and currency. */
export function receiptAccuracy(labelsFile: string): ReceiptAccuracyReport {
  const results = readReceiptLabels(labelsFile).map((receipt) => ({
    label: receipt.label,
    parse: parseLabeledReceipt(receipt),
  }));
  return scoreReceipts(results);
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** Formats the report as a markdown table: one row per field, then the all-fields row. */
export function formatReceiptAccuracyTable(report: ReceiptAccuracyReport): string {
  const rows = report.fields.map(
    (field) => `| ${field.field} | ${field.correct}/${field.total} | ${percent(field.accuracy)} |`,
  );
  const allCount = Math.round(report.allFields * report.receipts);
  return [
    '| Field | Correct | Accuracy |',
    '|---|---|---|',
    ...rows,
    `| all four fields | ${allCount}/${report.receipts} | ${percent(report.allFields)} |`,
  ].join('\n');
}
