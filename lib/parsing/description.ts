import { maskSpans, type Span } from './spans';

const MAX_DESCRIPTION_LENGTH = 100;

/** Words that open a message but describe nothing: "spent 12 on lunch" describes "lunch". */
const LEADING_FILLER =
  /^(?:i|i've|ive|i\s+have|just|spent|spend|paid|pay|bought|buy|cost|costs|was|for|on|of|and|also|plus|then|&|\+|-)(?![\p{L}\p{N}])\s*/iu;

/** Words left dangling at the end once an amount or a date is removed ("lunch on"). */
const TRAILING_FILLER = /\s*(?<![\p{L}\p{N}])(?:on|for|at|in|of|and|with|to|from|the|a|an|&|\+|-)$/iu;

const EDGE_PUNCTUATION = /^[\s,.;:!?\-–—+&*/|=]+|[\s,.;:!?\-–—+&*/|=(]+$/gu;

/**
 * Tidies what is left of a message after amounts, dates and links are cut out: collapses spaces, drops
 * punctuation and filler words left at either end, and shortens it to 100 characters.
 */
export function tidyDescription(text: string): string {
  let description = text
    .replace(/\(\s*\)/g, ' ')
    .replace(/\s+/gu, ' ')
    .replace(/ ([,.;:!?)])/g, '$1')
    .replace(/([,.;:!?])(?:\s*[,.;:!?])+/g, '$1')
    .replace(EDGE_PUNCTUATION, '');

  let previous = '';
  while (previous !== description) {
    previous = description;
    description = description
      .replace(LEADING_FILLER, '')
      .replace(TRAILING_FILLER, '')
      .replace(EDGE_PUNCTUATION, '');
  }

  if (description.length > MAX_DESCRIPTION_LENGTH) {
    return `${description.slice(0, MAX_DESCRIPTION_LENGTH - 1).trimEnd()}…`;
  }

  return description;
}

/** Removes `spans` (amounts, dates, links) from `text` and tidies the rest with {@link tidyDescription}. */
export function describeWithout(text: string, spans: readonly Span[]): string {
  return tidyDescription(maskSpans(text, spans));
}

/**
 * Splits a message with several amounts into one description per amount.
 * When words come before the first amount ("coffee 50 and snacks 20") each amount takes the words before it,
 * otherwise ("50 coffee, 20 snacks") the words after it. `amountSpans` must be sorted and not overlap.
 */
export function describeEachAmount(
  text: string,
  amountSpans: readonly Span[],
  removed: readonly Span[],
): string[] {
  const cleaned = maskSpans(text, removed);
  const first = amountSpans[0];
  if (!first) {
    return [];
  }

  const wordsComeFirst = /[\p{L}]/u.test(cleaned.slice(0, first.start));
  return amountSpans.map((span, index) => {
    if (wordsComeFirst) {
      const start = index === 0 ? 0 : amountSpans[index - 1]!.end;
      return tidyDescription(cleaned.slice(start, span.start));
    }

    const end = amountSpans[index + 1]?.start ?? cleaned.length;
    return tidyDescription(cleaned.slice(span.end, end));
  });
}
