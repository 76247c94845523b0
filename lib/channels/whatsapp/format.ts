/**
 * Conversion of the bot's HTML replies (the Telegram subset: `<b>`, `<i>`, `<u>`, `<s>`, `<code>`, `<pre>`,
 * `<a href>`, `<blockquote>` and character references) to WhatsApp text, whose formatting is marker based:
 * `*bold*`, `_italic_`, `~strikethrough~`, `` `inline code` ``, ` ```monospace``` ` and `> ` quotes.
 *
 * WhatsApp has no escape syntax: a backslash or a character reference shows up as typed. So literal text
 * passes through unchanged, and only the markers this module adds are placed where WhatsApp reads them as
 * formatting: around the text of one line, with the line's outer whitespace kept outside the markers.
 */

/** Target of a conversion: WhatsApp markers, or plain text without any formatting. */
export type TextStyle = 'whatsapp' | 'plain';

interface Frame {
  /** Lower-case tag name; the root frame has none. */
  tag: string;
  href?: string;
  content: string;
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

const EMPHASIS_MARKERS: Readonly<Record<string, string>> = {
  b: '*',
  strong: '*',
  i: '_',
  em: '_',
  s: '~',
  strike: '~',
  del: '~',
};

const CODE_TAGS = new Set(['code', 'pre']);

// A tag with attributes whose quoted values may contain `>`.
const TAG = /<(\/?)([a-zA-Z][\w-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;
const HREF = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i;
const ENTITY = /&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});/gi;

/**
 * Decodes HTML character references: the named ones the bot uses (`&amp;`, `&lt;`, `&gt;`, `&quot;`,
 * `&apos;`, `&nbsp;`) and numeric ones such as `&#39;`. Unknown or invalid references stay as written.
 */
export function decodeHtmlEntities(text: string): string {
  return text.replace(ENTITY, (reference, name: string) => {
    if (!name.startsWith('#')) {
      return NAMED_ENTITIES[name.toLowerCase()] ?? reference;
    }

    const hex = name[1] === 'x' || name[1] === 'X';
    const codePoint = Number.parseInt(name.slice(hex ? 2 : 1), hex ? 16 : 10);
    const valid = codePoint <= 0x10ffff && !(codePoint >= 0xd800 && codePoint <= 0xdfff) && codePoint > 0;
    return valid ? String.fromCodePoint(codePoint) : reference;
  });
}

/**
 * Converts a bot reply from HTML to WhatsApp text formatting. Underline has no WhatsApp equivalent, so it
 * is dropped. A link becomes `text (url)`, and unknown tags are removed with their text kept.
 * @example htmlToWhatsApp('<b>Expense: 12.50 USD</b>\nTry <code>/help</code>') // '*Expense: 12.50 USD*\nTry `/help`'
 */
export function htmlToWhatsApp(html: string): string {
  return convertHtml(html, 'whatsapp');
}

/**
 * Converts a bot reply from HTML to plain text: tags removed, links as `text (url)`, character references
 * decoded. Line breaks are kept.
 */
export function htmlToPlainText(html: string): string {
  return convertHtml(html, 'plain');
}

/** Converts `html` to `style`, closing any element the HTML leaves open. */
export function convertHtml(html: string, style: TextStyle): string {
  const stack: Frame[] = [{ tag: '', content: '' }];
  let position = 0;

  for (const match of html.matchAll(TAG)) {
    stack.at(-1)!.content += decodeHtmlEntities(html.slice(position, match.index));
    position = match.index + match[0].length;

    const closing = match[1] === '/';
    const tag = match[2]!.toLowerCase();
    if (tag === 'br') {
      stack.at(-1)!.content += '\n';
    } else if (!closing) {
      const href = HREF.exec(match[3] ?? '');
      const value = href?.[1] ?? href?.[2] ?? href?.[3];
      stack.push({ tag, content: '', href: value === undefined ? undefined : decodeHtmlEntities(value) });
    } else {
      closeElement(stack, tag, style);
    }
  }
  stack.at(-1)!.content += decodeHtmlEntities(html.slice(position));

  while (stack.length > 1) {
    closeFrame(stack, style);
  }

  return stack[0]!.content;
}

/** Closes the innermost open element named `tag` and every element inside it; ignores a stray end tag. */
function closeElement(stack: Frame[], tag: string, style: TextStyle): void {
  const index = stack.findLastIndex((frame) => frame.tag === tag);
  if (index < 1) {
    return;
  }

  while (stack.length > index) {
    closeFrame(stack, style);
  }
}

function closeFrame(stack: Frame[], style: TextStyle): void {
  const frame = stack.pop()!;
  const parent = stack.at(-1)!;
  parent.content += renderElement(frame, stack, style);
}

function renderElement(frame: Frame, ancestors: readonly Frame[], style: TextStyle): string {
  if (frame.tag === 'a') {
    return renderLink(frame.content, frame.href);
  }

  const inCode = ancestors.some((ancestor) => CODE_TAGS.has(ancestor.tag));
  if (style === 'plain' || inCode) {
    return frame.content;
  }

  const marker = EMPHASIS_MARKERS[frame.tag];
  if (marker !== undefined) {
    // A marker inside the same marker would close the outer one early, so nested duplicates are dropped.
    const nested = ancestors.some((ancestor) => EMPHASIS_MARKERS[ancestor.tag] === marker);
    return nested ? frame.content : emphasize(frame.content, marker);
  }

  switch (frame.tag) {
    case 'pre':
      return monospaceBlock(frame.content);
    case 'code':
      return /[\n`]/.test(frame.content) ? monospaceBlock(frame.content) : inlineCode(frame.content);
    case 'blockquote':
      return quote(frame.content);
    default:
      return frame.content;
  }
}

/**
 * Wraps each line's text in `marker`, so no span crosses a line break. WhatsApp does not format a span when
 * a space follows the opening marker or precedes the closing one, so whitespace stays outside the markers.
 */
function emphasize(content: string, marker: string): string {
  return content
    .split('\n')
    .map((line) => {
      const match = /^(\s*)(.*?)(\s*)$/s.exec(line)!;
      const [, leading, text, trailing] = match;
      return text === '' ? line : `${leading}${marker}${text}${marker}${trailing}`;
    })
    .join('\n');
}

function inlineCode(content: string): string {
  return content.trim() === '' ? content : `\`${content}\``;
}

function monospaceBlock(content: string): string {
  const text = content.replace(/^\n+|\n+$/g, '');
  return text.trim() === '' ? content : `\`\`\`${text}\`\`\``;
}

/** Prefixes each line with `> `, which WhatsApp shows as a quote. */
function quote(content: string): string {
  return content
    .replace(/^\n+|\n+$/g, '')
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

/**
 * Renders a link as `text (url)`, because WhatsApp has no links with hidden targets. A link whose text is
 * its target shows once, and `mailto:` and `tel:` links show the address alone. A `tg://` target is
 * dropped, because only Telegram opens it.
 */
function renderLink(text: string, href: string | undefined): string {
  const target = href?.trim().replace(/^(?:mailto|tel):/i, '') ?? '';
  const display = text.trim();
  if (target === '' || /^tg:/i.test(target)) {
    return text;
  }
  if (display === '' || display === target || display === href) {
    return display === '' ? target : text;
  }

  return `${text} (${target})`;
}
