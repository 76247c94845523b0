/**
 * Parsers for the delays that providers ask for before the next request. Each returns milliseconds, or
 * `undefined` for a missing or invalid value, so that a caller can fall back to its own backoff.
 */

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const LONG_DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const DAY = `(?:${DAYS.join('|')})`;
const MONTH = `(${MONTHS.join('|')})`;
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
// The three HTTP-date forms of RFC 9110, section 5.6.7, which recipients must all accept.
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
const RFC_850_DATE = new RegExp(`^(?:${LONG_DAYS.join('|')}), (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
const ASCTIME_DATE = new RegExp(`^${DAY} ${MONTH} ( \\d|\\d{2}) ${TIME} (\\d{4})$`);

const DECIMAL = /^\d+(?:\.\d+)?$/;

/**
 * Parses a `Retry-After` header: delay-seconds (`120`, and decimals such as `1.5`, which some providers
 * send) or an HTTP-date, relative to `nowMs`. A date in the past returns 0.
 * @example parseRetryAfter('120', Date.now()) // 120000
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  const text = value?.trim() ?? '';
  if (DECIMAL.test(text)) {
    return Number(text) * 1_000;
  }

  const dateMs = parseHttpDate(text, nowMs);
  return dateMs === undefined ? undefined : Math.max(0, dateMs - nowMs);
}

/**
 * Parses a `retry-after-ms` header (milliseconds, as OpenAI sends it). Empty, negative and non-numeric
 * values return `undefined`.
 */
export function parseRetryAfterMs(value: string | null | undefined): number | undefined {
  const text = value?.trim() ?? '';

  return DECIMAL.test(text) ? Number(text) : undefined;
}

const GO_UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3, // U+00B5 micro sign
  μs: 1e-3, // U+03BC Greek small letter mu
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
};
const GO_COMPONENT = /(\d*(?:\.\d*)?)(ns|us|µs|μs|ms|s|m|h)/y;

/**
 * Parses a duration in Go's `time.Duration` format, such as OpenAI's `x-ratelimit-reset-requests`:
 * `6m0s` (360,000 ms), `7.66s`, `76ms`, `1h2m3.5s`. A leading sign is allowed, and `0` is the only value
 * without a unit, as in Go's `time.ParseDuration`.
 */
export function parseGoDuration(value: string | null | undefined): number | undefined {
  const text = value?.trim() ?? '';
  const sign = text.startsWith('-') ? -1 : 1;
  const body = text.replace(/^[+-]/, '');
  if (body === '0') {
    return 0;
  }
  if (body === '') {
    return undefined;
  }

  let totalMs = 0;
  GO_COMPONENT.lastIndex = 0;
  while (GO_COMPONENT.lastIndex < body.length) {
    const match = GO_COMPONENT.exec(body);
    const [, number = '', unit = ''] = match ?? [];
    // A component needs a digit on at least one side of the point: ".5s" and "5.s" are valid, ".s" is not.
    if (match === null || !/\d/.test(number)) {
      return undefined;
    }
    totalMs += Number(number) * (GO_UNIT_MS[unit] ?? Number.NaN);
  }

  return Number.isFinite(totalMs) ? sign * totalMs : undefined;
}

function parseHttpDate(text: string, nowMs: number): number | undefined {
  const imf = IMF_FIXDATE.exec(text);
  if (imf !== null) {
    const [, day, month, year, hour, minute, second] = imf;
    return utc(Number(year), month, Number(day), hour, minute, second);
  }

  const rfc850 = RFC_850_DATE.exec(text);
  if (rfc850 !== null) {
    const [, day, month, shortYear, hour, minute, second] = rfc850;
    return utc(fullYear(Number(shortYear), nowMs), month, Number(day), hour, minute, second);
  }

  const asctime = ASCTIME_DATE.exec(text);
  if (asctime !== null) {
    const [, month, day, hour, minute, second, year] = asctime;
    return utc(Number(year), month, Number(day), hour, minute, second);
  }

  return undefined;
}

// RFC 9110: a two-digit year more than 50 years in the future means the most recent past year with the
// same last two digits.
function fullYear(shortYear: number, nowMs: number): number {
  const currentYear = new Date(nowMs).getUTCFullYear();
  const candidate = currentYear - (currentYear % 100) + shortYear;

  return candidate > currentYear + 50 ? candidate - 100 : candidate;
}

function utc(
  year: number,
  monthName: string | undefined,
  day: number,
  hour: string | undefined,
  minute: string | undefined,
  second: string | undefined,
): number | undefined {
  const month = MONTHS.indexOf(monthName ?? '');
  const parts = [Number(hour), Number(minute), Number(second)] as const;
  const ms = Date.UTC(year, month, day, ...parts);
  const date = new Date(ms);
  // Date.UTC rolls 31 Feb over to 3 Mar; a date that does not read back the same is invalid.
  const readsBack =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month &&
    date.getUTCDate() === day &&
    date.getUTCHours() === parts[0] &&
    date.getUTCMinutes() === parts[1] &&
    date.getUTCSeconds() === parts[2];

  return readsBack ? ms : undefined;
}
