import {
  addDays,
  type CivilDate,
  compareCivilDates,
  daysInMonth,
  isValidCivilDate,
  weekdayOf,
} from './civil-date';
import { type Span, spansOverlap } from './spans';

/** A date named in a message. */
export interface DateMention {
  date: CivilDate;
  span: Span;
  /** True for a written calendar date (`2024-03-14`, `March 3`), false for `yesterday` or `on friday`. */
  explicit: boolean;
}

/** Result of {@link extractDates}: the first date mentioned and every date span to mask. */
export interface DateExtraction {
  /** The first date in the text, or `null` when none was found. */
  mention: DateMention | null;
  spans: Span[];
}

/** How to read `03/04`: month first (United States) or day first (most other places). */
export type NumericDateOrder = 'month-first' | 'day-first';

/** Currencies of places that write the month first (`03/14` for March 14): the United States. */
const MONTH_FIRST_CURRENCIES = new Set(['USD']);

/** Returns how a user with this home currency most likely writes `03/04`. */
export function numericDateOrderFor(homeCurrency: string): NumericDateOrder {
  return MONTH_FIRST_CURRENCIES.has(homeCurrency) ? 'month-first' : 'day-first';
}

// biome-ignore format: a packed word list reads better than one word per line
const MONTHS: Readonly<Record<string, number>> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
  jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10, nov: 11,
  november: 11, dec: 12, december: 12,
};

// biome-ignore format: a packed word list reads better than one word per line
const WEEKDAYS: Readonly<Record<string, number>> = {
  sunday: 0, sun: 0, monday: 1, mon: 1, tuesday: 2, tue: 2, tues: 2, wednesday: 3, wed: 3, thursday: 4,
  thu: 4, thur: 4, thurs: 4, friday: 5, fri: 5, saturday: 6, sat: 6,
};

// biome-ignore format: a packed word list reads better than one word per line
const NUMBER_WORDS: Readonly<Record<string, number>> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7,
};

const MONTH_NAME =
  'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const ORDINAL = '(?:st|nd|rd|th)';
const ON = '(?:on\\s+)?(?:the\\s+)?';

/** A date pattern and how to turn its match into a date; `null` when the match is no real date. */
interface DateRule {
  pattern: RegExp;
  explicit: boolean;
  resolve(match: RegExpExecArray, today: CivilDate, order: NumericDateOrder): CivilDate | null;
}

function monthNumber(name: string): number {
  return MONTHS[name.toLowerCase().replace(/\.$/, '')] ?? 0;
}

function fullYear(written: string): number {
  const year = Number(written);
  return written.length === 2 ? 2000 + year : year;
}

/** Returns the most recent date with this month and day that is not after `today`. */
function mostRecentMonthDay(month: number, day: number, today: CivilDate): CivilDate | null {
  for (let year = today.year; year >= today.year - 8; year -= 1) {
    const candidate = { year, month, day };
    if (isValidCivilDate(year, month, day) && compareCivilDates(candidate, today) <= 0) {
      return candidate;
    }
  }

  return null;
}

/** Day `day` of this month when that is not in the future, else of the latest earlier month that has it. */
function mostRecentDayOfMonth(day: number, today: CivilDate): CivilDate | null {
  let year = today.year;
  let month = today.month;
  for (let step = 0; step < 12; step += 1) {
    const candidate = { year, month, day };
    if (day <= daysInMonth(year, month) && compareCivilDates(candidate, today) <= 0) {
      return candidate;
    }

    month -= 1;
    if (month === 0) {
      month = 12;
      year -= 1;
    }
  }

  return null;
}

/** With a year: that date. Without: the most recent occurrence that is not in the future. */
function calendarDate(
  year: string | undefined,
  month: number,
  day: number,
  today: CivilDate,
): CivilDate | null {
  if (year === undefined) {
    return mostRecentMonthDay(month, day, today);
  }

  const resolvedYear = fullYear(year);
  return isValidCivilDate(resolvedYear, month, day) ? { year: resolvedYear, month, day } : null;
}

/**
 * Resolves a month-name date with a four-digit number after it. The number counts as the year only within twenty
 * years before `today` or one after, so `March 3 1500` leaves 1500 to be read as the amount.
 */
function plausibleYearDate(year: string, month: number, day: number, today: CivilDate): CivilDate | null {
  const value = Number(year);
  if (value < today.year - 20 || value > today.year + 1) {
    return null;
  }

  return calendarDate(year, month, day, today);
}

/** Weekday `weekday` within the last week; `strictlyPast` skips today ("last friday" on a Friday is a week ago). */
function mostRecentWeekday(weekday: number, today: CivilDate, strictlyPast: boolean): CivilDate {
  let back = (weekdayOf(today) - weekday + 7) % 7;
  if (back === 0 && strictlyPast) {
    back = 7;
  }

  return addDays(today, -back);
}

/** Rules in priority order: a later rule never claims text that an earlier one matched. */
const RULES: readonly DateRule[] = [
  {
    pattern: /\b(?:on\s+)?(\d{4})-(\d{1,2})-(\d{1,2})(?![\p{N}])/giu,
    explicit: true,
    resolve: (match) => {
      const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
      return isValidCivilDate(year, month, day) ? { year, month, day } : null;
    },
  },
  {
    // 14.03.2024 and 14.03.24: day first, as everywhere this form is used. Without a year it would be an amount.
    pattern: /\b(?:on\s+)?(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})(?![\p{N}]|[.,]\d)/giu,
    explicit: true,
    resolve: (match, today) => calendarDate(match[3], Number(match[2]), Number(match[1]), today),
  },
  {
    // 14/03, 03/14/2024, 14-03-2024. A dash needs a year, because `10-20` is more often a range.
    pattern:
      /\b(?:on\s+)?(\d{1,2})(?:\/(\d{1,2})(?:\/(\d{4}|\d{2}))?|-(\d{1,2})-(\d{4}|\d{2}))(?![\p{N}]|[.,/]\d)/giu,
    explicit: true,
    resolve: (match, today, order) => {
      const first = Number(match[1]);
      const second = Number(match[2] ?? match[4]);
      const year = match[3] ?? match[5];
      const preferred = order === 'month-first' ? [first, second] : [second, first];
      const fallback = order === 'month-first' ? [second, first] : [first, second];
      for (const [month, day] of [preferred, fallback] as Array<[number, number]>) {
        const date = month <= 12 ? calendarDate(year, month, day, today) : null;
        if (date) {
          return date;
        }
      }

      return null;
    },
  },
  {
    pattern: new RegExp(
      `\\b${ON}(${MONTH_NAME})\\.?\\s+(\\d{1,2})${ORDINAL}?,?\\s+(\\d{4})(?![\\p{N}]|[.,]\\d)`,
      'giu',
    ),
    explicit: true,
    resolve: (match, today) => plausibleYearDate(match[3]!, monthNumber(match[1]!), Number(match[2]), today),
  },
  {
    pattern: new RegExp(
      `\\b${ON}(${MONTH_NAME})\\.?\\s+(\\d{1,2})${ORDINAL}?(?![\\p{L}\\p{N}]|[.,]\\d)`,
      'giu',
    ),
    explicit: true,
    resolve: (match, today) => mostRecentMonthDay(monthNumber(match[1]!), Number(match[2]), today),
  },
  {
    pattern: new RegExp(
      `\\b${ON}(\\d{1,2})${ORDINAL}?\\s+(?:of\\s+)?(${MONTH_NAME})\\b\\.?,?\\s+(\\d{4})(?![\\p{N}]|[.,]\\d)`,
      'giu',
    ),
    explicit: true,
    resolve: (match, today) => plausibleYearDate(match[3]!, monthNumber(match[2]!), Number(match[1]), today),
  },
  {
    pattern: new RegExp(`\\b${ON}(\\d{1,2})${ORDINAL}?\\s+(?:of\\s+)?(${MONTH_NAME})\\b\\.?`, 'giu'),
    explicit: true,
    resolve: (match, today) => mostRecentMonthDay(monthNumber(match[2]!), Number(match[1]), today),
  },
  {
    pattern: new RegExp(`\\b(?:on\\s+the|on|the)\\s+(\\d{1,2})${ORDINAL}\\b`, 'giu'),
    explicit: true,
    resolve: (match, today) => mostRecentDayOfMonth(Number(match[1]), today),
  },
  {
    pattern: /\b(?:the\s+)?day\s+before\s+yesterday\b/giu,
    explicit: false,
    resolve: (_match, today) => addDays(today, -2),
  },
  {
    pattern: /\b(?:yesterday|yday|yest|last\s+night)\b/giu,
    explicit: false,
    resolve: (_match, today) => addDays(today, -1),
  },
  {
    pattern: /\b(?:earlier\s+)?(?:today|tonight|this\s+(?:morning|afternoon|evening))\b/giu,
    explicit: false,
    resolve: (_match, today) => today,
  },
  {
    pattern: /\b(\d{1,2}|an?|one|two|three|four|five|six|seven)\s+(days?|weeks?)\s+ago\b/giu,
    explicit: false,
    resolve: (match, today) => {
      const count = NUMBER_WORDS[match[1]!.toLowerCase()] ?? Number(match[1]);
      const days = match[2]!.toLowerCase().startsWith('week') ? count * 7 : count;
      return addDays(today, -days);
    },
  },
  {
    // Abbreviations need a qualifier, because "sat" and "sun" are also words.
    pattern:
      /(?<!\bnext\s)\b(?:(on|last|this\s+past|past|this)\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|\b(on|last|this\s+past|past)\s+(mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)\b\.?/giu,
    explicit: false,
    resolve: (match, today) => {
      const qualifier = (match[1] ?? match[3] ?? '').toLowerCase();
      const weekday = WEEKDAYS[(match[2] ?? match[4])!.toLowerCase()]!;
      return mostRecentWeekday(weekday, today, qualifier === 'last' || qualifier.includes('past'));
    },
  },
];

/**
 * Finds date mentions such as `yesterday`, `last friday`, `on the 3rd`, `2024-03-14`, `14/03` and `March 3`.
 *
 * Relative dates resolve from `today`, the user's local date, and never land in the future: `on friday`
 * is the most recent Friday (today included), and `March 3` without a year is the latest March 3 up to today.
 * Explicit dates with a year are returned as written, even in the future.
 */
export function extractDates(text: string, today: CivilDate, order: NumericDateOrder): DateExtraction {
  const mentions: DateMention[] = [];
  const spans: Span[] = [];

  for (const rule of RULES) {
    for (const match of text.matchAll(rule.pattern)) {
      const span = { start: match.index, end: match.index + match[0].length };
      if (spans.some((taken) => spansOverlap(taken, span))) {
        continue;
      }

      const date = rule.resolve(match as RegExpExecArray, today, order);
      if (date) {
        spans.push(span);
        mentions.push({ date, span, explicit: rule.explicit });
      }
    }
  }

  mentions.sort((left, right) => left.span.start - right.span.start);
  return { mention: mentions[0] ?? null, spans };
}
