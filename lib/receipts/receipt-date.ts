import { type CivilDate, compareCivilDates, formatCivilDate } from '../parsing/civil-date';
import { extractDates, type NumericDateOrder, numericDateOrderFor } from '../parsing/dates';
import type { Span } from '../parsing/spans';
import type { ReceiptLine } from './ocr-noise';

/** The receipt's date and the notes about how it was read. */
export interface ReceiptDate {
  date: string | null;
  warnings: string[];
}

/** A written date such as `03/04/24` whose day and month could swap. */
const NUMERIC_DATE = /(?<![\d.,/])(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?![\d])/gu;

/** A date with a month name or three numeric parts; `1/2` (half a chicken) or `03/14` alone are no receipt date. */
const COMPLETE_DATE = /\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}|\p{L}{3,}/u;

/** Labels of dates that are not the purchase date. */
const OTHER_DATES =
  /(?<![\p{L}])(?:valid|expir|exp|best before|use by|due|return by|gultig|valable|validade|vence)/iu;

/** US state + ZIP in an address, a hint that numeric dates are month first. */
const US_ADDRESS = /\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b/u;

/**
 * Decides how to read `03/04/24` on this receipt: a part above 12 anywhere settles it, then a US address,
 * then the receipt's currency (month first only for USD).
 */
export function numericDateOrderOf(lines: readonly ReceiptLine[], currency: string): NumericDateOrder {
  for (const line of lines) {
    for (const match of line.text.matchAll(NUMERIC_DATE)) {
      if (match[2] === '.') {
        return 'day-first';
      }

      const [first, second] = [Number(match[1]), Number(match[3])];
      if (first > 12 && second <= 12) {
        return 'day-first';
      }

      if (second > 12 && first <= 12) {
        return 'month-first';
      }
    }
  }

  if (lines.some((line) => US_ADDRESS.test(line.text))) {
    return 'month-first';
  }

  return numericDateOrderFor(currency);
}

function otherOrder(order: NumericDateOrder): NumericDateOrder {
  return order === 'month-first' ? 'day-first' : 'month-first';
}

/** Rewrites CJK dates (`2026年10月21日`) as ISO dates, which the message parser reads. */
function isoFromCjk(text: string): string {
  return text.replace(
    /(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/gu,
    (_match, year: string, month: string, day: string) =>
      `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`,
  );
}

function firstCompleteDate(written: string, today: CivilDate, order: NumericDateOrder): CivilDate | null {
  const text = isoFromCjk(written);
  const extraction = extractDates(text, today, order);
  const mention = extraction.mention;
  if (!mention?.explicit) {
    return null;
  }

  return COMPLETE_DATE.test(text.slice(mention.span.start, mention.span.end)) ? mention.date : null;
}

/** Spans of every date on a line, to mask before reading amounts. */
export function dateSpans(text: string, today: CivilDate): Span[] {
  return extractDates(text, today, 'day-first').spans;
}

/**
 * Finds the purchase date: the first complete date on a line that is not an expiry or due date. `today` is
 * the user's local date. A date in the future under the preferred day/month order is read in the other order
 * when that lands in the past; a date that is in the future either way is rejected.
 */
export function findReceiptDate(
  lines: readonly ReceiptLine[],
  today: CivilDate,
  currency: string,
): ReceiptDate {
  const order = numericDateOrderOf(lines, currency);
  for (const line of lines) {
    if (OTHER_DATES.test(line.text)) {
      continue;
    }

    const preferred = firstCompleteDate(line.text, today, order);
    if (!preferred) {
      continue;
    }

    const warnings = line.corrected ? ['date-ocr-corrected'] : [];
    if (compareCivilDates(preferred, today) <= 0) {
      return { date: formatCivilDate(preferred), warnings };
    }

    const swapped = firstCompleteDate(line.text, today, otherOrder(order));
    if (swapped && compareCivilDates(swapped, today) <= 0) {
      return { date: formatCivilDate(swapped), warnings: [...warnings, 'date-order-from-plausibility'] };
    }

    return { date: null, warnings: [...warnings, `future-date-rejected:${formatCivilDate(preferred)}`] };
  }

  return { date: null, warnings: ['date-not-found'] };
}
