import Decimal from 'decimal.js';
import {
  hasPlainSpaceSeparator,
  hasShortFraction,
  isValidGrouping,
  type NumberShape,
  readNumberShape,
  truncateAtPlainSpace,
} from './amounts';
import { CURRENCY_MARKER_PATTERN, type CurrencyMarker, lookupCurrencyMarker } from './currencies';
import type { Span } from './spans';

/** Sign character written next to a number: a minus (`-20`, `$-20`, `9,99-`) or a plus. */
export type WrittenSign = 'minus' | 'plus' | null;

/** A number in a message with the sign, currency marker, multiplier and parentheses written around it. */
export interface MoneyToken {
  /** From the opening parenthesis, sign or prefix marker to the closing parenthesis or suffix marker. */
  span: Span;
  shape: NumberShape;
  marker: CurrencyMarker | null;
  /** 1000 for `12k` and 100000 for `2 lakh`, or `null` when none was written. */
  multiplier: Decimal | null;
  /** A `-`, `−` or `+` written before or after the number. Accounting parentheses are in `parenthesized`. */
  sign: WrittenSign;
  /**
   * True for `(20.00) card credit`: the token is inside parentheses and nothing but spaces comes before it on its
   * line, as in an accounting column. In "lunch (12.50)" the parentheses are an aside, so this is false.
   */
  parenthesized: boolean;
  /** True whenever parentheses enclose the token, wherever it appears. A conversion pair needs this. */
  enclosed: boolean;
}

const MULTIPLIERS: Readonly<Record<string, number>> = {
  k: 1_000,
  thousand: 1_000,
  grand: 1_000,
  lakh: 100_000,
  lakhs: 100_000,
  lac: 100_000,
  lacs: 100_000,
  crore: 10_000_000,
  crores: 10_000_000,
  million: 1_000_000,
  mln: 1_000_000,
};

/** Maximum length of the text before a number that a sign, marker and parenthesis can take (`(-US$ `). */
const BEFORE_WINDOW = 24;
const AFTER_WINDOW = 32;

/**
 * Text right before a number: `(`, then a sign glued to what follows, then a marker, then a sign between the
 * marker and the digits (`$-20`). A sign needs no letter, digit or mark before it, so `10-20` has no sign.
 */
const BEFORE_PATTERN = new RegExp(
  `(?<open>\\(\\s*)?(?<sign>(?<![\\p{L}\\p{N}.,])[-\u2212+])?(?<marker>(?<!\\p{L})(?:${CURRENCY_MARKER_PATTERN}))?\\s?(?<innerSign>[-\u2212])?$`,
  'diu',
);

/** Text right after a number: a multiplier, a marker, a trailing minus (`9,99-`) and `)`. */
const AFTER_PATTERN = new RegExp(
  `^(?<multiplier>\\s?(?:k|thousand|grand|lakhs?|lacs?|crores?|million|mln)(?!\\p{L}))?(?:\\s?(?<marker>${CURRENCY_MARKER_PATTERN})(?!\\p{L}))?(?<trailingSign>[-\u2212](?=[\\s.,;:!?)]|$))?(?<close>\\s*\\))?`,
  'diu',
);

interface Surroundings {
  start: number;
  end: number;
  prefixMarker: CurrencyMarker | null;
  suffixMarker: CurrencyMarker | null;
  multiplier: Decimal | null;
  leadingSign: WrittenSign;
  trailingMinus: boolean;
  open: boolean;
  close: boolean;
}

function signOf(signText: string | undefined): WrittenSign {
  if (signText === undefined) {
    return null;
  }

  return signText === '+' ? 'plus' : 'minus';
}

type GroupRanges = Record<string, [number, number] | undefined>;

function readSurroundings(text: string, shape: NumberShape): Surroundings {
  const windowStart = Math.max(0, shape.start - BEFORE_WINDOW);
  const before = BEFORE_PATTERN.exec(text.slice(windowStart, shape.start));
  const after = AFTER_PATTERN.exec(text.slice(shape.end, shape.end + AFTER_WINDOW));
  const beforeRanges: GroupRanges = before?.indices?.groups ?? {};
  const afterRanges: GroupRanges = after?.indices?.groups ?? {};

  // A regex match in any case still has to pass the marker's case rules (`TRY` is a code, `try` is not).
  const prefixCandidate = before?.groups?.marker ? lookupCurrencyMarker(before.groups.marker) : undefined;
  const prefixMarker = prefixCandidate && !prefixCandidate.suffixOnly ? prefixCandidate : null;
  const prefixRejected = Boolean(before?.groups?.marker) && prefixMarker === null;
  const suffixCandidate = after?.groups?.marker ? lookupCurrencyMarker(after.groups.marker) : undefined;
  const suffixMarker = suffixCandidate ?? null;
  const suffixRejected = Boolean(after?.groups?.marker) && suffixMarker === null;

  const beforeNames = prefixRejected ? ['innerSign'] : ['open', 'sign', 'marker', 'innerSign'];
  const starts = beforeNames
    .map((name) => beforeRanges[name])
    .filter((range): range is [number, number] => range !== undefined)
    .map(([start]) => windowStart + start);

  const afterNames = suffixRejected ? ['multiplier'] : ['multiplier', 'marker', 'trailingSign', 'close'];
  const ends = afterNames
    .map((name) => afterRanges[name])
    .filter((range): range is [number, number] => range !== undefined)
    .map(([, end]) => shape.end + end);

  const multiplierWord = after?.groups?.multiplier?.trim().toLowerCase();
  const signText = prefixRejected
    ? before?.groups?.innerSign
    : (before?.groups?.sign ?? before?.groups?.innerSign);

  return {
    start: Math.min(shape.start, ...starts),
    end: Math.max(shape.end, ...ends),
    prefixMarker,
    suffixMarker,
    multiplier: multiplierWord ? new Decimal(MULTIPLIERS[multiplierWord] ?? 1) : null,
    leadingSign: signOf(signText),
    trailingMinus: !suffixRejected && Boolean(after?.groups?.trailingSign),
    open: !prefixRejected && Boolean(before?.groups?.open),
    close: !suffixRejected && Boolean(after?.groups?.close),
  };
}

/**
 * Accepts a space-grouped number such as `1 234.56` or `4 500 €` as one amount only when a fraction or a currency
 * marker confirms it. Otherwise `coffee 50 20` would read as 50020.
 */
function acceptsPlainSpaceGrouping(text: string, shape: NumberShape): boolean {
  const integerGroupCount = hasShortFraction(shape) ? shape.groups.length - 1 : shape.groups.length;
  const integerGroups = shape.groups.slice(0, integerGroupCount);
  if (!isValidGrouping(integerGroups, shape.separators.slice(0, integerGroupCount - 1))) {
    return false;
  }

  if (hasShortFraction(shape)) {
    return true;
  }

  const surroundings = readSurroundings(text, shape);
  return surroundings.prefixMarker !== null || surroundings.suffixMarker !== null;
}

/**
 * Finds every number in `text` with its surrounding sign, currency marker, multiplier and parentheses.
 * `text` should already have URLs, dates, times and phone numbers masked with spaces.
 */
export function findMoneyTokens(text: string): MoneyToken[] {
  const tokens: MoneyToken[] = [];
  const digit = /\d/g;
  let match = digit.exec(text);

  while (match) {
    let shape = readNumberShape(text, match.index);
    if (hasPlainSpaceSeparator(shape) && !acceptsPlainSpaceGrouping(text, shape)) {
      shape = truncateAtPlainSpace(shape);
    }

    tokens.push(buildToken(text, shape));
    digit.lastIndex = shape.end;
    match = digit.exec(text);
  }

  return tokens;
}

function buildToken(text: string, shape: NumberShape): MoneyToken {
  const surroundings = readSurroundings(text, shape);
  const lineStart = text.lastIndexOf('\n', surroundings.start - 1) + 1;
  const opensLine = /^\s*$/u.test(text.slice(lineStart, surroundings.start));
  const enclosed = surroundings.open && surroundings.close;
  const parenthesized = enclosed && opensLine;
  const trailingSign: WrittenSign = surroundings.trailingMinus ? 'minus' : null;

  // An unmatched parenthesis belongs to the sentence, not to the amount.
  let start = surroundings.start;
  let end = surroundings.end;
  if (surroundings.open && !surroundings.close) {
    start = text.indexOf('(', start) + 1;
  }

  if (surroundings.close && !surroundings.open) {
    end = text.lastIndexOf(')', end - 1);
  }

  return {
    span: { start, end },
    shape,
    // A code after the number is more specific than a symbol before it (`$25 CAD`).
    marker: surroundings.suffixMarker ?? surroundings.prefixMarker,
    multiplier: surroundings.multiplier,
    sign: surroundings.leadingSign ?? trailingSign,
    parenthesized,
    enclosed,
  };
}
