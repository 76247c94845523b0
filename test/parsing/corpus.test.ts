import { resolve } from 'node:path';
import { isCategory } from '../../lib/domain/categories';
import { type AccuracyField, measureAccuracy, readCorpus } from '../../lib/parsing/accuracy';

const corpus = readCorpus(resolve(__dirname, '../fixtures/parser-corpus.jsonl'));
const report = measureAccuracy(corpus);

/**
 * Minimum share of correct results per field. Each is a little below what the parser reached when the corpus
 * was labeled, so a regression of two or three messages fails the test.
 */
const THRESHOLDS: Record<AccuracyField, number> = {
  kind: 0.98,
  amount: 0.98,
  currency: 0.98,
  date: 0.99,
  merchant: 0.975,
  category: 0.93,
};

function accuracyOf(field: AccuracyField): number {
  return report.fields.find((entry) => entry.field === field)!.accuracy;
}

function mismatchesOf(field: AccuracyField): string {
  return report.mismatches
    .filter((mismatch) => mismatch.field === field)
    .map(
      (mismatch) =>
        `${mismatch.id}: expected ${JSON.stringify(mismatch.expected)}, got ${JSON.stringify(mismatch.actual)}`,
    )
    .join('\n');
}

describe('parser corpus', () => {
  it('has at least 120 labeled messages', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(120);
  });

  it('has unique ids', () => {
    expect(new Set(corpus.map((entry) => entry.id)).size).toBe(corpus.length);
  });

  it('has at least one non-transaction in ten messages', () => {
    const none = corpus.filter((entry) => entry.expected.kind === 'none').length;

    expect(none / corpus.length).toBeGreaterThanOrEqual(0.1);
  });

  it('labels only known categories', () => {
    const unknown = corpus.filter(
      (entry) => entry.expected.category !== null && !isCategory(entry.expected.category),
    );

    expect(unknown.map((entry) => entry.id)).toEqual([]);
  });

  it.each(Object.entries(THRESHOLDS) as Array<[AccuracyField, number]>)(
    'parses %s correctly for at least %f of messages',
    (field, threshold) => {
      const accuracy = accuracyOf(field);

      if (accuracy < threshold) {
        throw new Error(
          `${field} accuracy ${accuracy.toFixed(3)} is below ${threshold}. Mismatches:\n${mismatchesOf(field)}`,
        );
      }

      expect(accuracy).toBeGreaterThanOrEqual(threshold);
    },
  );
});
