import { readFileSync } from 'node:fs';
import Decimal from 'decimal.js';
import { parseMessage } from './parse-message';
import type { ParseResult } from './types';
import { localWallClockToInstant } from './wall-clock';

/** The fields a labeled message states and the accuracy report scores. */
export const ACCURACY_FIELDS = ['kind', 'amount', 'currency', 'date', 'merchant', 'category'] as const;

/** One scored field of {@link ParseResult}. */
export type AccuracyField = (typeof ACCURACY_FIELDS)[number];

/** One labeled message of the parser corpus, as stored in `test/fixtures/parser-corpus.jsonl`. */
export interface CorpusEntry {
  id: string;
  text: string;
  /** Local wall-clock time in `timezone`, for example `2026-03-18T12:00:00`. */
  reference_time: string;
  timezone: string;
  home_currency: string;
  expected: Pick<ParseResult, AccuracyField>;
}

/** Raised when a corpus line is not valid JSON or misses a field. */
export class CorpusFormatError extends Error {
  override readonly name = 'CorpusFormatError';

  constructor(
    readonly path: string,
    readonly lineNumber: number,
    reason: string,
  ) {
    super(
      `Invalid corpus line ${path}:${lineNumber}: ${reason}. Each line needs id, text, reference_time, timezone, home_currency and expected.`,
    );
  }
}

/**
 * Reads a JSONL corpus, one labeled message per line; blank lines are skipped.
 * @throws CorpusFormatError when a line is not a JSON object with the {@link CorpusEntry} fields.
 */
export function readCorpus(path: string): CorpusEntry[] {
  const entries: CorpusEntry[] = [];
  for (const [index, line] of readFileSync(path, 'utf8').split(/\r?\n/).entries()) {
    if (line.trim() === '') {
      continue;
    }

    let entry: CorpusEntry;
    try {
      entry = JSON.parse(line) as CorpusEntry;
    } catch (error) {
      throw new CorpusFormatError(path, index + 1, (error as Error).message);
    }

    const missing = ['id', 'text', 'reference_time', 'timezone', 'home_currency', 'expected'].filter(
      (field) => !(field in entry),
    );
    if (missing.length > 0) {
      throw new CorpusFormatError(path, index + 1, `missing ${missing.join(', ')}`);
    }

    entries.push(entry);
  }

  return entries;
}

/** Parses a corpus entry's text with its own reference time, time zone and home currency. */
export function parseCorpusEntry(entry: CorpusEntry): ParseResult {
  return parseMessage(entry.text, {
    referenceTime: localWallClockToInstant(entry.reference_time, entry.timezone),
    timeZone: entry.timezone,
    homeCurrency: entry.home_currency,
  });
}

/** A field whose parsed value differs from the label. */
export interface Mismatch {
  id: string;
  field: AccuracyField;
  expected: unknown;
  actual: unknown;
}

/** Correct results for one field over the corpus. */
export interface FieldAccuracy {
  field: AccuracyField;
  correct: number;
  total: number;
  /** `correct / total`, from 0 to 1. */
  accuracy: number;
}

/** Per-field accuracy over a corpus, with every mismatch. */
export interface AccuracyReport {
  total: number;
  fields: FieldAccuracy[];
  /** Share of messages whose six fields are all correct. */
  exactMatch: number;
  mismatches: Mismatch[];
}

/** Amounts compare as numbers, so `25` and `25.00` match; other fields compare exactly. */
function fieldMatches(field: AccuracyField, expected: unknown, actual: unknown): boolean {
  if (field !== 'amount' || expected === null || actual === null) {
    return expected === actual;
  }

  return new Decimal(String(expected)).equals(new Decimal(String(actual)));
}

/** Parses every entry and counts, per field, how often the result equals the label. */
export function measureAccuracy(entries: readonly CorpusEntry[]): AccuracyReport {
  const correct = new Map<AccuracyField, number>(ACCURACY_FIELDS.map((field) => [field, 0]));
  const mismatches: Mismatch[] = [];
  let exact = 0;

  for (const entry of entries) {
    const result = parseCorpusEntry(entry);
    let allCorrect = true;
    for (const field of ACCURACY_FIELDS) {
      const expected = entry.expected[field];
      const actual = result[field];
      if (fieldMatches(field, expected, actual)) {
        correct.set(field, correct.get(field)! + 1);
      } else {
        allCorrect = false;
        mismatches.push({ id: entry.id, field, expected, actual });
      }
    }

    exact += allCorrect ? 1 : 0;
  }

  const total = entries.length;
  const fields = ACCURACY_FIELDS.map((field) => ({
    field,
    correct: correct.get(field)!,
    total,
    accuracy: total === 0 ? 0 : correct.get(field)! / total,
  }));
  return { total, fields, exactMatch: total === 0 ? 0 : exact / total, mismatches };
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** Formats the report as a markdown table: one row per field, then the exact-match row. */
export function formatAccuracyTable(report: AccuracyReport): string {
  const rows = report.fields.map(
    (field) => `| ${field.field} | ${field.correct}/${field.total} | ${percent(field.accuracy)} |`,
  );
  const exactCount = Math.round(report.exactMatch * report.total);
  return [
    '| Field | Correct | Accuracy |',
    '|---|---|---|',
    ...rows,
    `| all six fields | ${exactCount}/${report.total} | ${percent(report.exactMatch)} |`,
  ].join('\n');
}
