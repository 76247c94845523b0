/** Splitting of long Telegram message texts into parts that fit one message and parse on their own. */
import { type MarkupScan, scanMarkup, splitsSurrogatePair } from './markup-scan';
import type { ParseMode } from './text';

/**
 * Maximum message text length. The Bot API allows "1-4096 characters after entities parsing";
 * this module counts UTF-16 code units (JS string length) before parsing, which never exceeds that.
 */
export const MAX_MESSAGE_LENGTH = 4096;

/**
 * Splits `text` into parts of at most `limit` UTF-16 code units, with nothing lost.
 *
 * Cuts prefer, in order: parts of at least half the limit, positions outside formatting
 * elements, then paragraph, line and space boundaries. The separator at a cut is dropped.
 * No cut falls inside a surrogate pair, a MarkdownV2 escape, an HTML tag or character reference,
 * or a link. When an element is longer than a part, the part closes the open elements and the
 * next part reopens them, so every part parses on its own.
 * Whitespace-only parts are dropped because Telegram rejects empty messages.
 */
export function splitMessage(text: string, limit = MAX_MESSAGE_LENGTH, parseMode?: ParseMode): string[] {
  if (!Number.isInteger(limit) || limit < 8) {
    throw new RangeError(`Split limit ${limit} is invalid; pass an integer of at least 8 code units.`);
  }

  const parts: string[] = [];
  let rest = text;
  let reopened = 0;

  while (rest.length > limit) {
    const cut = chooseCut(rest, limit, parseMode, reopened);
    parts.push(rest.slice(0, cut.end) + cut.closers);
    rest = cut.openers + rest.slice(cut.next);
    reopened = cut.openers.length;
  }

  parts.push(rest);
  const nonEmpty = parts.filter((part) => part.trim() !== '');
  return nonEmpty.length > 0 ? nonEmpty : [text];
}

interface Cut {
  end: number;
  next: number;
  closers: string;
  openers: string;
}

function chooseCut(text: string, limit: number, parseMode: ParseMode | undefined, minEnd: number): Cut {
  let windowEnd = limit;

  while (windowEnd > minEnd) {
    const scan = scanMarkup(text, windowEnd, parseMode);
    const end = bestCutPosition(text, scan, windowEnd, limit, minEnd);
    if (end === undefined) {
      break;
    }

    const open = scanMarkup(text, end, parseMode).open;
    const closers = open
      .map((element) => element.close)
      .reverse()
      .join('');
    if (end + closers.length <= limit) {
      const openers = open.map((element) => element.open).join('');
      return { end, next: end + separatorLength(text, end), closers, openers };
    }

    // The closing markup does not fit after this position, so look again in a shorter window.
    windowEnd = limit - closers.length;
  }

  // No position outside links and escapes fits, for example a link longer than the limit. Cut the
  // markup and let the caller's plain-text fallback handle the part Telegram cannot parse.
  let end = limit;
  while (
    end > 1 &&
    (splitsSurrogatePair(text, end) || (parseMode === 'MarkdownV2' && endsInEscape(text, end)))
  ) {
    end -= 1;
  }

  return { end, next: end, closers: '', openers: '' };
}

/** Checks whether `text.slice(0, end)` ends in a backslash that escapes the character at `end`. */
function endsInEscape(text: string, end: number): boolean {
  let backslashes = 0;
  while (end - backslashes > 0 && text[end - backslashes - 1] === '\\') {
    backslashes += 1;
  }

  return backslashes % 2 === 1;
}

function bestCutPosition(
  text: string,
  scan: MarkupScan,
  windowEnd: number,
  limit: number,
  minEnd: number,
): number | undefined {
  let best: number | undefined;
  let bestScore = -1;

  for (let position = windowEnd; position > minEnd; position--) {
    const longEnough = position >= limit / 2;
    const whole = scan.depth[position] === 0;
    // Closing and reopening elements only pays off for long parts. Short ones could hold nothing but markup.
    if (scan.safe[position] !== 1 || (!whole && !longEnough)) {
      continue;
    }

    const score = (longEnough ? 8 : 0) + (whole ? 4 : 0) + separatorRank(text, position);
    if (score > bestScore) {
      best = position;
      bestScore = score;
    }
  }

  return best;
}

function separatorRank(text: string, position: number): number {
  if (text.startsWith('\n\n', position)) {
    return 3;
  }

  if (text[position] === '\n') {
    return 2;
  }

  return text[position] === ' ' ? 1 : 0;
}

function separatorLength(text: string, position: number): number {
  const rank = separatorRank(text, position);
  if (rank === 3) {
    return 2;
  }

  return rank > 0 ? 1 : 0;
}
