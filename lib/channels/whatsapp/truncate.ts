/** Length limits of WhatsApp text fields, measured in UTF-16 code units. */

/** Character appended to text that was cut to fit a limit. */
export const ELLIPSIS = '…';

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * Returns the length of `text` as the WhatsApp limits here count it: UTF-16 code units (JS string length).
 * Meta documents its limits in characters. An emoji is one character there but up to 7 code units here,
 * so a text within this length is within Meta's limit too.
 */
export function textLength(text: string): number {
  return text.length;
}

/**
 * Cuts `text` to at most `maxLength` code units, ending in {@link ELLIPSIS} when it was cut. Cuts fall
 * between grapheme clusters, so an emoji such as 🏷️ is kept whole or dropped whole.
 * @example truncateText('🏷️ Change category', 12) // '🏷️ Change…'
 */
export function truncateText(text: string, maxLength: number): string {
  if (!Number.isInteger(maxLength) || maxLength < ELLIPSIS.length) {
    throw new RangeError(`Truncation length ${maxLength} is invalid; pass an integer of at least 1.`);
  }
  if (textLength(text) <= maxLength) {
    return text;
  }

  const budget = maxLength - ELLIPSIS.length;
  let prefix = '';
  for (const { segment } of graphemes.segment(text)) {
    if (textLength(prefix) + textLength(segment) > budget) {
      break;
    }
    prefix += segment;
  }

  return `${prefix.trimEnd()}${ELLIPSIS}`;
}
