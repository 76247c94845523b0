import { lookupCurrencyMarker, resolveCurrencyMarker } from '../parsing/currencies';
import { findMoneyTokens } from '../parsing/money-tokens';
import { acceptedMarker } from './line-amounts';
import { foldLabel, type ReceiptLine } from './ocr-noise';

/** Where the receipt's currency came from; anything but `marker` should be confirmed with the user. */
export type CurrencySource = 'marker' | 'place' | 'home';

/** The currency of a receipt. */
export interface ReceiptCurrency {
  currency: string;
  source: CurrencySource;
  /** True when a shared symbol (`$`, `kr`) had to be guessed. */
  ambiguous: boolean;
  /** How many numbers on the receipt carry a currency symbol or code. */
  markedAmounts: number;
}

/** Place names in addresses that tell the currency when no symbol or code is printed. Folded, whole words. */
const PLACE_CURRENCIES: ReadonlyArray<[string, readonly string[]]> = [
  [
    'EUR',
    [
      'portugal',
      'lisboa',
      'lisbon',
      'porto',
      'espana',
      'spain',
      'madrid',
      'barcelona',
      'valencia',
      'france',
      'paris',
      'lyon',
      'marseille',
      'deutschland',
      'germany',
      'berlin',
      'munchen',
      'hamburg',
      'koln',
      'italia',
      'italy',
      'roma',
      'milano',
      'nederland',
      'amsterdam',
      'belgique',
      'belgie',
      'bruxelles',
      'osterreich',
      'wien',
      'ireland',
      'dublin',
      'suomi',
      'helsinki',
      'ellada',
      'athina',
    ],
  ],
  ['GBP', ['united kingdom', 'england', 'scotland', 'wales', 'london', 'manchester', 'edinburgh', 'glasgow']],
  ['BRL', ['brasil', 'brazil', 'sao paulo', 'rio de janeiro', 'belo horizonte', 'curitiba']],
  ['INR', ['india', 'mumbai', 'delhi', 'new delhi', 'bengaluru', 'bangalore', 'chennai', 'kolkata', 'pune']],
  ['JPY', ['japan', 'tokyo', 'osaka', 'kyoto', '東京', '大阪', '京都', '日本']],
  ['CAD', ['canada', 'toronto', 'vancouver', 'montreal', 'ottawa']],
  ['AUD', ['australia', 'sydney', 'melbourne', 'brisbane', 'perth']],
  ['MXN', ['mexico', 'cdmx', 'guadalajara', 'monterrey']],
  ['CHF', ['schweiz', 'suisse', 'svizzera', 'zurich', 'geneve', 'basel', 'bern']],
  [
    'USD',
    ['usa', 'united states', 'new york', 'los angeles', 'chicago', 'san francisco', 'boston', 'seattle'],
  ],
];

/** Postal-code shapes that identify a country: US state + ZIP, UK postcode, Portuguese 1000-001. */
const POSTCODE_CURRENCIES: ReadonlyArray<[RegExp, string]> = [
  [/\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b/u, 'USD'],
  [/\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b/u, 'GBP'],
  [/\b\d{4}-\d{3}\s+\p{L}/u, 'EUR'],
];

function escapePattern(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

const PLACE_PATTERNS = PLACE_CURRENCIES.map(
  ([currency, places]) =>
    [
      new RegExp(`(?<![\\p{L}])(?:${places.map(escapePattern).join('|')})(?![\\p{L}])`, 'u'),
      currency,
    ] as const,
);

/** A standalone three-letter code such as the `EUR` in "TOTAL EUR" with the amount further away. */
const CODE_WORD = /(?<![\p{L}])[A-Z]{3}(?![\p{L}])/gu;

/** Collects the currency markers printed on the receipt, in order. */
interface FoundMarker {
  currency: string | null;
  ambiguous: boolean;
  /** True when the marker is attached to a number, false for a code standing alone. */
  attached: boolean;
}

function markerCurrencies(lines: readonly ReceiptLine[], homeCurrency: string): FoundMarker[] {
  const found: FoundMarker[] = [];
  for (const line of lines) {
    const seen = new Set<number>();
    for (const token of findMoneyTokens(line.text)) {
      const marker = acceptedMarker(token);
      if (marker) {
        found.push({ ...resolveCurrencyMarker(marker.meaning, homeCurrency), attached: true });
        seen.add(token.span.start);
      }
    }

    for (const match of line.text.matchAll(CODE_WORD)) {
      const marker = lookupCurrencyMarker(match[0]);
      const isCode =
        marker?.meaning.currency === match[0] &&
        !['ALL', 'CUP', 'MAD', 'TRY', 'GEL', 'PEN', 'RON'].includes(match[0]);
      const alreadyCounted = [...seen].some((start) => Math.abs(start - match.index) <= 1);
      if (isCode && !alreadyCounted) {
        found.push({ currency: match[0], ambiguous: false, attached: false });
      }
    }
  }

  return found;
}

/**
 * Decides the receipt's currency: the most frequent printed symbol or code (shared symbols resolved against
 * the home currency), else a place name or postcode in the address, else the home currency.
 */
export function detectReceiptCurrency(lines: readonly ReceiptLine[], homeCurrency: string): ReceiptCurrency {
  const markers = markerCurrencies(lines, homeCurrency).filter((marker) => marker.currency !== null);
  const markedAmounts = markers.filter((marker) => marker.attached).length;
  if (markers.length > 0) {
    const counts = new Map<string, number>();
    for (const marker of markers) {
      counts.set(marker.currency!, (counts.get(marker.currency!) ?? 0) + 1);
    }

    const [currency] = [...counts.entries()].reduce((best, entry) => (entry[1] > best[1] ? entry : best));
    const ambiguous = markers.some((marker) => marker.currency === currency && marker.ambiguous);
    return { currency, source: 'marker', ambiguous, markedAmounts };
  }

  const text = lines.map((line) => line.text).join('\n');
  const folded = foldLabel(text.replace(/\n/g, ' , '));
  for (const [pattern, currency] of PLACE_PATTERNS) {
    if (pattern.test(folded)) {
      return { currency, source: 'place', ambiguous: false, markedAmounts };
    }
  }

  for (const [pattern, currency] of POSTCODE_CURRENCIES) {
    if (pattern.test(text)) {
      return { currency, source: 'place', ambiguous: false, markedAmounts };
    }
  }

  return { currency: homeCurrency, source: 'home', ambiguous: false, markedAmounts };
}
