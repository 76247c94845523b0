import { wallClockAt } from './wall-clock';

/** A calendar date without a time or a zone, in the proleptic Gregorian calendar. */
export interface CivilDate {
  year: number;
  /** 1 to 12. */
  month: number;
  day: number;
}

const MS_PER_DAY = 86_400_000;

/** Returns the local calendar date of `instant` in `timeZone`. */
export function civilDateAt(instant: Date, timeZone: string): CivilDate {
  const parts = wallClockAt(instant, timeZone);
  return { year: parts.year, month: parts.month, day: parts.day };
}

/** Returns the number of days in `month` (1 to 12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Returns true when the fields name a real calendar date. */
export function isValidCivilDate(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

function toEpochDay(date: CivilDate): number {
  return Date.UTC(date.year, date.month - 1, date.day) / MS_PER_DAY;
}

function fromEpochDay(epochDay: number): CivilDate {
  const instant = new Date(epochDay * MS_PER_DAY);
  return { year: instant.getUTCFullYear(), month: instant.getUTCMonth() + 1, day: instant.getUTCDate() };
}

/** Returns the date `days` days after `date` (negative goes back). Calendar arithmetic, so DST cannot shift it. */
export function addDays(date: CivilDate, days: number): CivilDate {
  return fromEpochDay(toEpochDay(date) + days);
}

/** Returns the day of the week, 0 for Sunday to 6 for Saturday. */
export function weekdayOf(date: CivilDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}

/** Compares two dates: negative when `left` is earlier, 0 when equal, positive when later. */
export function compareCivilDates(left: CivilDate, right: CivilDate): number {
  return toEpochDay(left) - toEpochDay(right);
}

/** Formats a date as `YYYY-MM-DD`. */
export function formatCivilDate(date: CivilDate): string {
  const year = String(date.year).padStart(4, '0');
  const month = String(date.month).padStart(2, '0');
  const day = String(date.day).padStart(2, '0');
  return `${year}-${month}-${day}`;
}
