/** Returns the calendar date of `instant` in `timeZone` as `YYYY-MM-DD`. */
export function localDate(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(instant);
  const part = (type: string) => parts.find((entry) => entry.type === type)?.value ?? '';

  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** A month as inclusive local dates. */
export interface MonthRange {
  /** `YYYY-MM`. */
  month: string;
  firstDay: string;
  lastDay: string;
}

/** Returns the month containing `instant` in `timeZone`, so totals follow the user's own calendar. */
export function monthOf(instant: Date, timeZone: string): MonthRange {
  const today = localDate(instant, timeZone);
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();

  return {
    month: today.slice(0, 7),
    firstDay: `${today.slice(0, 7)}-01`,
    lastDay: `${today.slice(0, 7)}-${String(days).padStart(2, '0')}`,
  };
}

/** Returns true when `timeZone` is an IANA time zone name this runtime supports. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}
