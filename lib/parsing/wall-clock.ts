import { InvalidTimeZoneError, InvalidWallClockTimeError } from './errors';

/** Calendar and clock fields of an instant as a wall clock in one time zone shows them. */
export interface WallClockParts {
  year: number;
  /** 1 to 12. */
  month: number;
  day: number;
  /** 0 to 23. */
  hour: number;
  minute: number;
  second: number;
}

const MS_PER_DAY = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  const cached = formatters.get(timeZone);
  if (cached) {
    return cached;
  }

  let formatter: Intl.DateTimeFormat;
  try {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch (error) {
    if (error instanceof RangeError) {
      throw new InvalidTimeZoneError(timeZone);
    }

    throw error;
  }

  formatters.set(timeZone, formatter);
  return formatter;
}

/**
 * Checks that `timeZone` is an IANA time zone name.
 * @throws InvalidTimeZoneError when `Intl` does not know the zone.
 */
export function assertValidTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}

/**
 * Reads the wall-clock fields of `instant` in `timeZone` through `Intl.DateTimeFormat`.
 * @throws InvalidTimeZoneError when `Intl` does not know the zone.
 */
export function wallClockAt(instant: Date, timeZone: string): WallClockParts {
  const parts: WallClockParts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type in parts) {
      parts[part.type as keyof WallClockParts] = Number(part.value);
    }
  }

  return parts;
}

/** Offset of the zone from UTC at `epochMs`, in milliseconds (east of UTC is positive). */
function offsetAt(epochMs: number, timeZone: string): number {
  const wholeSecond = Math.floor(epochMs / 1000) * 1000;
  const parts = wallClockAt(new Date(wholeSecond), timeZone);
  const wallAsUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return wallAsUtc - wholeSecond;
}

const WALL_CLOCK_PATTERN = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Converts a local wall-clock time such as `2026-03-18T12:00:00` in `timeZone` to the instant it names.
 *
 * Around daylight-saving changes it resolves like Temporal's `compatible` option and the local-time `Date`
 * constructor. A time repeated by a backward change resolves to the earlier instant. A time skipped by a
 * forward change moves forward by the length of the gap, so 02:30 on a spring-forward night becomes 03:30.
 *
 * @throws InvalidWallClockTimeError when the text is malformed, carries an offset or names no real date.
 * @throws InvalidTimeZoneError when `Intl` does not know the zone.
 */
export function localWallClockToInstant(wallClock: string, timeZone: string): Date {
  assertValidTimeZone(timeZone);

  const match = WALL_CLOCK_PATTERN.exec(wallClock.trim());
  if (!match) {
    throw new InvalidWallClockTimeError(wallClock, 'expected a date and time without a UTC offset');
  }

  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((field) => Number(field ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const millisecond = Number((match[7] ?? '0').padEnd(3, '0'));
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new InvalidWallClockTimeError(wallClock, 'the date does not exist');
  }

  if (hour > 23 || minute > 59 || second > 59) {
    throw new InvalidWallClockTimeError(wallClock, 'the time of day is out of range');
  }

  const wallAsUtc = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);

  // The offset a day before and a day after bracket any single DST change near this wall time.
  const offsetBefore = offsetAt(wallAsUtc - MS_PER_DAY, timeZone);
  const offsetAfter = offsetAt(wallAsUtc + MS_PER_DAY, timeZone);
  const candidates = [wallAsUtc - offsetBefore, wallAsUtc - offsetAfter].filter(
    (candidate) => offsetAt(candidate, timeZone) === wallAsUtc - candidate,
  );
  if (candidates.length > 0) {
    return new Date(Math.min(...candidates));
  }

  // Skipped wall time: keep the pre-change offset, which lands after the gap.
  return new Date(wallAsUtc - offsetBefore);
}

const OFFSET_SUFFIX = /(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Reads a reference time written either as an ISO 8601 instant with an offset (`2026-03-18T12:00:00Z`,
 * `2026-03-18T12:00:00+01:00`) or as local wall-clock time in `timeZone` (`2026-03-18T12:00:00`).
 * @throws InvalidWallClockTimeError when the text is neither.
 * @throws InvalidTimeZoneError when `Intl` does not know the zone.
 */
export function parseReferenceTime(value: string, timeZone: string): Date {
  const trimmed = value.trim();
  if (!OFFSET_SUFFIX.test(trimmed)) {
    return localWallClockToInstant(trimmed, timeZone);
  }

  const instant = new Date(trimmed);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(trimmed) || Number.isNaN(instant.getTime())) {
    throw new InvalidWallClockTimeError(value, 'expected an ISO 8601 date and time');
  }

  return instant;
}
