/**
 * Currency markers (symbols, ISO codes and words) and how ambiguous ones resolve against the user's home
 * currency. Symbol sharing follows the Unicode CLDR symbol data: `$` alone is used by about 25 currencies,
 * `kr` by DKK, ISK, NOK and SEK, and `¥` by JPY and CNY.
 */

/** Decimal separator that a currency's users write: `12,50` or `12.50`. */
export type DecimalConvention = 'comma-decimal' | 'point-decimal';

/** A group of currencies that share a symbol or a word, resolved by {@link resolveCurrencyMarker}. */
export type CurrencyFamily =
  | 'dollar-sign'
  | 'dollar-word'
  | 'krone'
  | 'yen'
  | 'pound'
  | 'rupee'
  | 'peso'
  | 'cordoba';

/** Meaning of a currency marker: one currency, a family to resolve, or cents of the home currency. */
export interface MarkerMeaning {
  currency?: string;
  family?: CurrencyFamily;
  /** `cents`: the number counts hundredths. */
  cents?: boolean;
}

/** One written form of a currency. */
export interface CurrencyMarker {
  text: string;
  meaning: MarkerMeaning;
  /** Words such as `euros` may only follow the number; symbols and codes may stand on either side. */
  suffixOnly: boolean;
}

/** The currency a marker names for one user. */
export interface CurrencyResolution {
  /** ISO 4217 code, or `null` when the marker could be several currencies and the home currency does not tell. */
  currency: string | null;
  /** True when the parser guessed or gave up, so the bot should confirm the currency with the user. */
  ambiguous: boolean;
}

/** Currencies whose users write `$` for their own money. */
// biome-ignore format: a packed word list reads better than one word per line
const DOLLAR_SIGN_CURRENCIES = new Set([
  'USD', 'CAD', 'AUD', 'NZD', 'SGD', 'HKD', 'TWD', 'JMD', 'BSD', 'BBD', 'BZD', 'BMD', 'KYD', 'TTD', 'XCD',
  'FJD', 'GYD', 'LRD', 'NAD', 'SBD', 'SRD', 'BND', 'MXN', 'ARS', 'CLP', 'COP', 'UYU', 'DOP', 'CUP', 'CVE',
]);

/** Currencies named "dollar"; a Mexican peso user who writes "dollars" means another currency. */
// biome-ignore format: a packed word list reads better than one word per line
const DOLLAR_NAMED_CURRENCIES = new Set([
  'USD', 'CAD', 'AUD', 'NZD', 'SGD', 'HKD', 'TWD', 'JMD', 'BSD', 'BBD', 'BZD', 'BMD', 'KYD', 'TTD', 'XCD',
  'FJD', 'GYD', 'LRD', 'NAD', 'SBD', 'SRD', 'BND',
]);

const KRONE_CURRENCIES = new Set(['SEK', 'NOK', 'DKK', 'ISK']);
const POUND_CURRENCIES = new Set(['GBP', 'EGP', 'GIP', 'FKP', 'SHP', 'SSP', 'SDG', 'LBP', 'SYP']);
const RUPEE_CURRENCIES = new Set(['INR', 'PKR', 'LKR', 'NPR', 'MUR', 'SCR']);
const PESO_CURRENCIES = new Set(['MXN', 'ARS', 'CLP', 'COP', 'UYU', 'DOP', 'CUP', 'PHP']);

// biome-ignore format: a packed word list reads better than one word per line
const COMMA_DECIMAL_CURRENCIES = new Set([
  'EUR', 'BRL', 'ARS', 'CLP', 'COP', 'UYU', 'PYG', 'IDR', 'VND', 'TRY', 'RUB', 'UAH', 'BYN', 'KZT', 'PLN',
  'CZK', 'HUF', 'RON', 'BGN', 'RSD', 'BAM', 'MKD', 'ALL', 'DKK', 'NOK', 'SEK', 'ISK', 'GEL', 'AZN',
]);

// biome-ignore format: a packed word list reads better than one word per line
const POINT_DECIMAL_CURRENCIES = new Set([
  'USD', 'GBP', 'INR', 'PKR', 'LKR', 'NPR', 'BDT', 'JPY', 'CNY', 'HKD', 'TWD', 'KRW', 'SGD', 'MYR', 'THB',
  'PHP', 'AUD', 'NZD', 'CAD', 'MXN', 'ILS', 'CHF', 'AED', 'SAR', 'QAR', 'KWD', 'BHD', 'OMR', 'JOD', 'EGP',
  'NGN', 'KES', 'GHS', 'UGX', 'TZS', 'DOP', 'GTQ', 'PEN',
]);

/** ISO 4217 codes recognised next to a number when written in capitals. */
// biome-ignore format: a packed word list reads better than one word per line
const UPPERCASE_CODES = [
  'USD', 'EUR', 'GBP', 'JPY', 'CNY', 'INR', 'CAD', 'AUD', 'NZD', 'CHF', 'SEK', 'NOK', 'DKK', 'ISK', 'PLN',
  'CZK', 'HUF', 'RON', 'BGN', 'RSD', 'UAH', 'RUB', 'BYN', 'KZT', 'GEL', 'AZN', 'TRY', 'ILS', 'AED', 'SAR',
  'QAR', 'KWD', 'BHD', 'OMR', 'JOD', 'EGP', 'MAD', 'TND', 'NGN', 'KES', 'GHS', 'UGX', 'TZS', 'ZAR', 'BRL',
  'MXN', 'ARS', 'CLP', 'COP', 'PEN', 'UYU', 'DOP', 'GTQ', 'SGD', 'HKD', 'TWD', 'KRW', 'MYR', 'THB', 'IDR',
  'PHP', 'VND', 'PKR', 'LKR', 'NPR', 'BDT', 'NIO', 'CRC', 'PYG',
];

/**
 * Codes also recognised in lower case. Codes that are English words (`try`, `mad`, `all`, `cup`, `gel`)
 * are left out, because "mad 20" is no currency.
 */
// biome-ignore format: a packed word list reads better than one word per line
const LOWERCASE_CODES = new Set([
  'usd', 'eur', 'gbp', 'jpy', 'cny', 'inr', 'cad', 'aud', 'nzd', 'chf', 'sek', 'nok', 'dkk', 'isk', 'pln',
  'czk', 'huf', 'ron', 'bgn', 'uah', 'rub', 'byn', 'kzt', 'ils', 'aed', 'sar', 'qar', 'kwd', 'egp', 'ngn',
  'kes', 'zar', 'brl', 'mxn', 'ars', 'clp', 'cop', 'pen', 'sgd', 'hkd', 'twd', 'krw', 'myr', 'thb', 'idr',
  'php', 'vnd', 'pkr', 'lkr', 'npr', 'bdt',
]);

/** Symbols whose letters must match case exactly (`Ft` is forint, `ft` is feet). */
const CASE_SENSITIVE_SYMBOLS: ReadonlyArray<[string, MarkerMeaning]> = [
  ['Ft', { currency: 'HUF' }],
  ['RM', { currency: 'MYR' }],
  ['Rp', { currency: 'IDR' }],
  ['Fr.', { currency: 'CHF' }],
  ['SFr.', { currency: 'CHF' }],
  ['S/', { currency: 'PEN' }],
];

/** Symbols matched in any letter case. */
const SYMBOLS: ReadonlyArray<[string, MarkerMeaning]> = [
  ['US$', { currency: 'USD' }],
  ['U$S', { currency: 'USD' }],
  ['CA$', { currency: 'CAD' }],
  ['C$', { family: 'cordoba' }],
  ['A$', { currency: 'AUD' }],
  ['AU$', { currency: 'AUD' }],
  ['NZ$', { currency: 'NZD' }],
  ['HK$', { currency: 'HKD' }],
  ['S$', { currency: 'SGD' }],
  ['SG$', { currency: 'SGD' }],
  ['MX$', { currency: 'MXN' }],
  ['NT$', { currency: 'TWD' }],
  ['R$', { currency: 'BRL' }],
  ['RD$', { currency: 'DOP' }],
  ['J$', { currency: 'JMD' }],
  ['TT$', { currency: 'TTD' }],
  ['$', { family: 'dollar-sign' }],
  ['€', { currency: 'EUR' }],
  ['£', { family: 'pound' }],
  ['¥', { family: 'yen' }],
  ['￥', { family: 'yen' }],
  ['円', { currency: 'JPY' }],
  ['元', { currency: 'CNY' }],
  ['₹', { currency: 'INR' }],
  ['₨', { family: 'rupee' }],
  ['rs.', { family: 'rupee' }],
  ['rs', { family: 'rupee' }],
  ['₽', { currency: 'RUB' }],
  ['руб', { currency: 'RUB' }],
  ['₴', { currency: 'UAH' }],
  ['грн', { currency: 'UAH' }],
  ['₺', { currency: 'TRY' }],
  ['₩', { currency: 'KRW' }],
  ['₪', { currency: 'ILS' }],
  ['₱', { currency: 'PHP' }],
  ['₫', { currency: 'VND' }],
  ['฿', { currency: 'THB' }],
  ['₦', { currency: 'NGN' }],
  ['₵', { currency: 'GHS' }],
  ['₸', { currency: 'KZT' }],
  ['₼', { currency: 'AZN' }],
  ['₾', { currency: 'GEL' }],
  ['₡', { currency: 'CRC' }],
  ['₲', { currency: 'PYG' }],
  ['৳', { currency: 'BDT' }],
  ['zł', { currency: 'PLN' }],
  ['kč', { currency: 'CZK' }],
  ['kr.', { family: 'krone' }],
  ['kr', { family: 'krone' }],
  ['lei', { currency: 'RON' }],
];

/** Currency names, matched in any case and only after the number ("20 euros"). */
const WORDS: ReadonlyArray<[string, MarkerMeaning]> = [
  ['us dollars', { currency: 'USD' }],
  ['us dollar', { currency: 'USD' }],
  ['american dollars', { currency: 'USD' }],
  ['canadian dollars', { currency: 'CAD' }],
  ['canadian dollar', { currency: 'CAD' }],
  ['australian dollars', { currency: 'AUD' }],
  ['australian dollar', { currency: 'AUD' }],
  ['singapore dollars', { currency: 'SGD' }],
  ['hong kong dollars', { currency: 'HKD' }],
  ['dollars', { family: 'dollar-word' }],
  ['dollar', { family: 'dollar-word' }],
  ['bucks', { family: 'dollar-word' }],
  ['buck', { family: 'dollar-word' }],
  ['euros', { currency: 'EUR' }],
  ['euro', { currency: 'EUR' }],
  ['rupees', { family: 'rupee' }],
  ['rupee', { family: 'rupee' }],
  ['pounds', { family: 'pound' }],
  ['pound', { family: 'pound' }],
  ['quid', { currency: 'GBP' }],
  ['yen', { currency: 'JPY' }],
  ['yuan', { currency: 'CNY' }],
  ['rmb', { currency: 'CNY' }],
  ['renminbi', { currency: 'CNY' }],
  ['reais', { currency: 'BRL' }],
  ['real', { currency: 'BRL' }],
  ['pesos', { family: 'peso' }],
  ['peso', { family: 'peso' }],
  ['francs', { currency: 'CHF' }],
  ['franc', { currency: 'CHF' }],
  ['kronor', { currency: 'SEK' }],
  ['krona', { family: 'krone' }],
  ['kroner', { family: 'krone' }],
  ['krone', { family: 'krone' }],
  ['hryvnias', { currency: 'UAH' }],
  ['hryvnia', { currency: 'UAH' }],
  ['roubles', { currency: 'RUB' }],
  ['rouble', { currency: 'RUB' }],
  ['rubles', { currency: 'RUB' }],
  ['ruble', { currency: 'RUB' }],
  ['zloty', { currency: 'PLN' }],
  ['zlotys', { currency: 'PLN' }],
  ['baht', { currency: 'THB' }],
  ['ringgit', { currency: 'MYR' }],
  ['rupiah', { currency: 'IDR' }],
  ['lira', { currency: 'TRY' }],
  ['liras', { currency: 'TRY' }],
  ['rand', { currency: 'ZAR' }],
  ['shekels', { currency: 'ILS' }],
  ['shekel', { currency: 'ILS' }],
  ['dirhams', { currency: 'AED' }],
  ['dirham', { currency: 'AED' }],
  ['riyals', { currency: 'SAR' }],
  ['riyal', { currency: 'SAR' }],
  ['naira', { currency: 'NGN' }],
  ['forints', { currency: 'HUF' }],
  ['forint', { currency: 'HUF' }],
  ['cents', { cents: true }],
  ['cent', { cents: true }],
];

function buildMarkers(): Map<string, CurrencyMarker> {
  const markers = new Map<string, CurrencyMarker>();
  for (const code of UPPERCASE_CODES) {
    markers.set(code, { text: code, meaning: { currency: code }, suffixOnly: false });
  }

  for (const code of LOWERCASE_CODES) {
    markers.set(code, { text: code, meaning: { currency: code.toUpperCase() }, suffixOnly: false });
  }

  for (const [text, meaning] of CASE_SENSITIVE_SYMBOLS) {
    markers.set(text, { text, meaning, suffixOnly: false });
  }

  for (const [text, meaning] of SYMBOLS) {
    markers.set(text.toLowerCase(), { text, meaning, suffixOnly: false });
  }

  for (const [text, meaning] of WORDS) {
    markers.set(text, { text, meaning, suffixOnly: true });
  }

  return markers;
}

/**
 * Markers by lookup key: codes and case-sensitive symbols by their exact text, everything else lower-cased.
 * `lookupCurrencyMarker` tries the exact text first, so `EUR` and `eur` both resolve but `TRY` only in capitals.
 */
const MARKERS = buildMarkers();

/** Returns the marker for text matched by {@link CURRENCY_MARKER_PATTERN}, or `undefined` when case rules reject it. */
export function lookupCurrencyMarker(written: string): CurrencyMarker | undefined {
  const text = written.replace(/\s+/g, ' ');
  const exact = MARKERS.get(text);
  if (exact) {
    return exact;
  }

  const folded = MARKERS.get(text.toLowerCase());
  const caseSensitive = CASE_SENSITIVE_SYMBOLS.some(([symbol]) => symbol === folded?.text);
  const isUppercaseOnlyCode = folded !== undefined && /^[A-Z]{3}$/.test(folded.text);
  if (!folded || caseSensitive || isUppercaseOnlyCode) {
    return undefined;
  }

  return folded;
}

function escapeForPattern(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Regular-expression alternation of every marker text, longest first so `US$` wins over `$`.
 * Match it case-insensitively and confirm the match with {@link lookupCurrencyMarker}.
 */
export const CURRENCY_MARKER_PATTERN = [...new Set([...MARKERS.values()].map((marker) => marker.text))]
  .sort((left, right) => right.length - left.length)
  .map((text) => escapeForPattern(text).replace(/ /g, '\\s+'))
  .join('|');

/**
 * Resolves a marker to an ISO 4217 code for a user whose home currency is `homeCurrency`.
 *
 * Shared markers prefer the home currency when it belongs to the family. So `$` is CAD for a CAD user and
 * USD with `ambiguous: true` for a EUR user. `kr` is the home krone or `null`, and `¥` is CNY only for CNY users.
 */
export function resolveCurrencyMarker(meaning: MarkerMeaning, homeCurrency: string): CurrencyResolution {
  if (meaning.currency) {
    return { currency: meaning.currency, ambiguous: false };
  }

  if (meaning.cents) {
    return { currency: homeCurrency, ambiguous: false };
  }

  switch (meaning.family) {
    case 'dollar-sign':
      return preferHome(DOLLAR_SIGN_CURRENCIES, homeCurrency, 'USD', true);
    case 'dollar-word':
      return preferHome(DOLLAR_NAMED_CURRENCIES, homeCurrency, 'USD', true);
    case 'krone':
      return KRONE_CURRENCIES.has(homeCurrency)
        ? { currency: homeCurrency, ambiguous: false }
        : { currency: null, ambiguous: true };
    case 'yen':
      return { currency: homeCurrency === 'CNY' ? 'CNY' : 'JPY', ambiguous: false };
    case 'pound':
      return preferHome(POUND_CURRENCIES, homeCurrency, 'GBP', false);
    case 'rupee':
      return preferHome(RUPEE_CURRENCIES, homeCurrency, 'INR', false);
    case 'peso':
      return preferHome(PESO_CURRENCIES, homeCurrency, 'MXN', true);
    case 'cordoba':
      // C$ is the Canadian dollar everywhere except in Nicaragua, whose córdoba uses the same symbol.
      return { currency: homeCurrency === 'NIO' ? 'NIO' : 'CAD', ambiguous: false };
    default:
      return { currency: null, ambiguous: true };
  }
}

function preferHome(
  family: ReadonlySet<string>,
  homeCurrency: string,
  fallback: string,
  fallbackIsAmbiguous: boolean,
): CurrencyResolution {
  if (family.has(homeCurrency)) {
    return { currency: homeCurrency, ambiguous: false };
  }

  return { currency: fallback, ambiguous: fallbackIsAmbiguous };
}

/**
 * Returns how users of `currency` usually write the fraction, or `null` when usage is split
 * (for example ZAR, or currencies this table does not list).
 */
export function decimalConventionFor(currency: string): DecimalConvention | null {
  if (COMMA_DECIMAL_CURRENCIES.has(currency)) {
    return 'comma-decimal';
  }

  if (POINT_DECIMAL_CURRENCIES.has(currency)) {
    return 'point-decimal';
  }

  return null;
}
