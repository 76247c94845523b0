import type { InlineKeyboardMarkup } from '@grammyjs/types';
import { CallbackDataTooLongError, MAX_CALLBACK_DATA_BYTES } from './errors';

/**
 * Maximum message text length. The Bot API allows "1-4096 characters after entities parsing";
 * this module counts UTF-16 code units (JS string length) before parsing, which never exceeds that.
 */
export const MAX_MESSAGE_LENGTH = 4096;

/** Formatting modes that the helpers here understand. */
export type ParseMode = 'HTML' | 'MarkdownV2';

/** Escapes every character that MarkdownV2 reserves outside entities, so `3.50` becomes `3\.50`. */
export function escapeMarkdownV2(text: string): string {
  return text.replace(/[\\_*[\]()~`>#+\-=|{}.!]/g, '\\$&');
}

/** Escapes `&`, `<` and `>` for HTML text content. Attribute values also need `"` escaped as `&quot;`. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Checks an inline button's `callback_data` against Telegram's limit.
 * @throws CallbackDataTooLongError when `data` is longer than 64 bytes in UTF-8.
 */
export function assertCallbackData(data: string): void {
  const byteLength = Buffer.byteLength(data, 'utf8');
  if (byteLength > MAX_CALLBACK_DATA_BYTES) {
    throw new CallbackDataTooLongError(data, byteLength);
  }
}

/**
 * Checks the callback_data of every button when `markup` is an inline keyboard.
 * @throws CallbackDataTooLongError for the first button whose data is longer than 64 bytes.
 */
export function assertReplyMarkupData(markup: InlineKeyboardMarkup | object | undefined): void {
  if (markup === undefined || !('inline_keyboard' in markup)) {
    return;
  }

  for (const button of markup.inline_keyboard.flat()) {
    if ('callback_data' in button && typeof button.callback_data === 'string') {
      assertCallbackData(button.callback_data);
    }
  }
}

/** Checks whether cutting a string at `index` would separate the two halves of a surrogate pair. */
export function splitsSurrogatePair(text: string, index: number): boolean {
  const before = text.charCodeAt(index - 1);
  const after = text.charCodeAt(index);
  return before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff;
}

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

interface OpenElement {
  /** Markup that opens the element again at the start of the next part. */
  open: string;
  /** Markup that closes the element at the end of a part. */
  close: string;
  /** HTML tag name, or the MarkdownV2 marker. */
  name: string;
}

interface MarkupScan {
  /** `safe[i]` is 1 when the text may be cut before index `i`. */
  safe: Uint8Array;
  /** Number of open formatting elements before index `i`. */
  depth: Uint16Array;
  /** Elements still open at the end of the scanned range. */
  open: OpenElement[];
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

/** Marks where the first `end` code units of `text` may be cut, and tracks open elements. */
function scanMarkup(text: string, end: number, parseMode: ParseMode | undefined): MarkupScan {
  const scan: MarkupScan = {
    safe: new Uint8Array(end + 1).fill(1),
    depth: new Uint16Array(end + 1),
    open: [],
  };
  for (let index = 1; index <= end; index++) {
    if (splitsSurrogatePair(text, index)) {
      scan.safe[index] = 0;
    }
  }

  if (parseMode === 'HTML') {
    scanHtml(text, end, scan);
  } else if (parseMode === 'MarkdownV2') {
    scanMarkdownV2(text, end, scan);
  }

  return scan;
}

function markUnsafe(scan: MarkupScan, from: number, to: number): void {
  for (let index = from; index < to && index < scan.safe.length; index++) {
    scan.safe[index] = 0;
  }
}

function scanHtml(text: string, end: number, scan: MarkupScan): void {
  let index = 0;

  while (index < end) {
    scan.depth[index] = scan.open.length;
    const char = text[index];

    if (char === '<') {
      const close = findTagEnd(text, index);
      if (close === -1) {
        index += 1;
        continue;
      }

      markUnsafe(scan, index + 1, close + 1);
      applyHtmlTag(text.slice(index, close + 1), scan.open);
      index = close + 1;
      continue;
    }

    if (char === '&') {
      const reference = /^&(#\d+|#x[\da-f]+|[a-z]+);/i.exec(text.slice(index, index + 12));
      if (reference !== null) {
        markUnsafe(scan, index + 1, index + reference[0].length);
        index += reference[0].length;
        continue;
      }
    }

    index += 1;
  }

  scan.depth[end] = scan.open.length;
}

/** Returns the index of the `>` that ends the tag starting at `start`, skipping quoted attribute values. */
function findTagEnd(text: string, start: number): number {
  let quote: string | undefined;

  for (let index = start + 1; index < text.length; index++) {
    const char = text[index];
    if (quote !== undefined) {
      quote = char === quote ? undefined : quote;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '>') {
      return index;
    } else if (char === '<') {
      return -1;
    }
  }

  return -1;
}

function applyHtmlTag(tag: string, open: OpenElement[]): void {
  const match = /^<(\/?)\s*([a-z][\w-]*)/i.exec(tag);
  if (match === null) {
    return;
  }

  const name = (match[2] ?? '').toLowerCase();
  if (match[1] !== '/') {
    open.push({ open: tag, close: `</${name}>`, name });
    return;
  }

  const position = open.map((element) => element.name).lastIndexOf(name);
  if (position !== -1) {
    open.length = position;
  }
}

const MARKDOWN_TOGGLES = ['||', '__', '*', '_', '~'];

function scanMarkdownV2(text: string, end: number, scan: MarkupScan): void {
  const open = scan.open;
  let linkDepth = 0;
  let index = 0;

  while (index < end) {
    scan.depth[index] = open.length;
    if (linkDepth > 0) {
      scan.safe[index] = 0;
    }

    const char = text[index];
    const top = open.at(-1);

    // A backslash escapes the next character everywhere, including code and link URLs.
    if (char === '\\') {
      markUnsafe(scan, index + 1, index + 2);
      index += 2;
      continue;
    }

    if (top?.name === '```' || top?.name === '`') {
      const closes = text.startsWith(top.name, index);
      if (closes) {
        markUnsafe(scan, index + 1, index + top.name.length);
        open.pop();
      }

      index += closes ? top.name.length : 1;
      continue;
    }

    if (top?.name === '](') {
      if (char === ')') {
        open.pop();
        linkDepth -= 1;
      }

      index += 1;
      continue;
    }

    if (text.startsWith('```', index)) {
      const language = /^```([\w#+-]*)\n/.exec(text.slice(index, index + 64));
      const opener = language === null ? '```' : language[0];
      markUnsafe(scan, index + 1, index + opener.length);
      open.push({ open: opener, close: '```', name: '```' });
      index += opener.length;
      continue;
    }

    if (char === '`') {
      open.push({ open: '`', close: '`', name: '`' });
      index += 1;
      continue;
    }

    if (char === '[' || text.startsWith('![', index)) {
      const width = char === '[' ? 1 : 2;
      markUnsafe(scan, index + 1, index + width);
      open.push({ open: '', close: '', name: '[' });
      linkDepth += 1;
      index += width;
      continue;
    }

    if (char === ']' && top?.name === '[') {
      open.pop();
      if (text[index + 1] === '(') {
        markUnsafe(scan, index + 1, index + 2);
        open.push({ open: '', close: '', name: '](' });
        index += 2;
        continue;
      }

      linkDepth -= 1;
      index += 1;
      continue;
    }

    const marker = MARKDOWN_TOGGLES.find((candidate) => text.startsWith(candidate, index));
    if (marker !== undefined) {
      markUnsafe(scan, index + 1, index + marker.length);
      toggleMarker(open, marker);
      index += marker.length;
      continue;
    }

    index += 1;
  }

  scan.depth[end] = open.length;
}

function toggleMarker(open: OpenElement[], marker: string): void {
  const position = open.map((element) => element.name).lastIndexOf(marker);
  if (position === -1) {
    open.push({ open: marker, close: marker, name: marker });
    return;
  }

  open.length = position;
}
