import { localDate } from '../../processor/calendar';

/** A Monday-to-Sunday week as inclusive local dates, with its ISO 8601 week label. */
export interface SummaryWeek {
  /** ISO week such as `2026-W12`; its year is the ISO week-numbering year, which can differ at New Year. */
  isoWeek: string;
  /** The Monday, `YYYY-MM-DD`. */
  firstDay: string;
  /** The Sunday, `YYYY-MM-DD`. */
  lastDay: string;
}

const DAY_MS = 86_400_000;

function civilDateMs(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}

function civilDate(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/** Returns the ISO 8601 week label of the week that starts on `mondayMs` (a UTC midnight). */
function isoWeekLabel(mondayMs: number): string {
  // The ISO week belongs to the year of its Thursday, and week 1 is the week with the year's first Thursday.
  const thursday = new Date(mondayMs + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const dayOfYear = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS);
  const week = Math.floor(dayOfYear / 7) + 1;

  return `${year}-W${String(week).padStart(2, '0')}`;
}

/**
 * Returns the week before the one that contains `instant` in `timeZone`: run on any day from Monday to
 * Sunday, it returns the same completed week, so a re-run later in the week summarizes the same days.
 */
export function previousWeekOf(instant: Date, timeZone: string): SummaryWeek {
  const todayMs = civilDateMs(localDate(instant, timeZone));
  // getUTCDay: Sunday 0 … Saturday 6; days since Monday: Monday 0 … Sunday 6.
  const daysSinceMonday = (new Date(todayMs).getUTCDay() + 6) % 7;
  const mondayMs = todayMs - (daysSinceMonday + 7) * DAY_MS;

  return {
    isoWeek: isoWeekLabel(mondayMs),
    firstDay: civilDate(mondayMs),
    lastDay: civilDate(mondayMs + 6 * DAY_MS),
  };
}
