/**
 * Markup scanning for message splitting: where a Telegram message text may be cut without breaking a
 * surrogate pair, an HTML tag or character reference, a MarkdownV2 escape or a link, and which
 * formatting elements are open at each position.
 */
import type { ParseMode } from './text';

/** Checks whether cutting a string at `index` would separate the two halves of a surrogate pair. */
export function splitsSurrogatePair(text: string, index: number): boolean {
  const before = text.charCodeAt(index - 1);
  const after = text.charCodeAt(index);
  return before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff;
}

export interface OpenElement {
  /** Markup that opens the element again at the start of the next part. */
  open: string;
  /** Markup that closes the element at the end of a part. */
  close: string;
  /** HTML tag name, or the MarkdownV2 marker. */
  name: string;
}

export interface MarkupScan {
  /** `safe[i]` is 1 when the text may be cut before index `i`. */
  safe: Uint8Array;
  /** Number of open formatting elements before index `i`. */
  depth: Uint16Array;
  /** Elements still open at the end of the scanned range. */
  open: OpenElement[];
}

/** Marks where the first `end` code units of `text` may be cut, and tracks open elements. */
export function scanMarkup(text: string, end: number, parseMode: ParseMode | undefined): MarkupScan {
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
