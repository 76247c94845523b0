import type { MessageEntity } from '@grammyjs/types';
import { byteOffset, cannotParseEntities } from './api-error';

/** Message text after entity parsing, as Telegram stores it. Offsets are UTF-16 code units. */
export interface ParsedText {
  text: string;
  entities: MessageEntity[];
}

type ToggleType = 'bold' | 'italic' | 'underline' | 'strikethrough' | 'spoiler';

interface OpenEntity {
  type: ToggleType | 'text_link' | 'custom_emoji';
  /** Markup that closes the entity: a toggle marker, or `]` for links. */
  marker: string;
  /** Entity name in Telegram's error messages. */
  name: string;
  /** Start in the parsed text. */
  offset: number;
  /** Start of the opening markup in the source, for error offsets. */
  sourceIndex: number;
}

/** Toggle markers, longest first so that `__` and `||` win over `_` and `|`. */
const TOGGLES: ReadonlyArray<{ marker: string; type: ToggleType; name: string }> = [
  { marker: '||', type: 'spoiler', name: 'Spoiler' },
  { marker: '__', type: 'underline', name: 'Underline' },
  { marker: '*', type: 'bold', name: 'Bold' },
  { marker: '_', type: 'italic', name: 'Italic' },
  { marker: '~', type: 'strikethrough', name: 'Strikethrough' },
];

/** Characters that MarkdownV2 reserves outside entities, per the Bot API "MarkdownV2 style" section. */
const RESERVED = new Set('_*[]()~`>#+-=|{}.!');

/**
 * Parses MarkdownV2 as the Bot API documents it: `*bold*`, `_italic_`, `__underline__`,
 * `~strikethrough~`, `||spoiler||`, `[text](url)`, `![emoji](tg://emoji?id=…)`, `` `code` ``,
 * ```` ```language\npre``` ````, `>` quotes and `**>` expandable quotes ending in `||`.
 * @throws FakeApiError 400 "can't parse entities" for a reserved character that is not escaped
 *   or an entity that is not closed, with the offsets in UTF-8 bytes as Telegram reports them.
 */
export function parseMarkdownV2(source: string): ParsedText {
  return new MarkdownV2Parser(source).parse();
}

class MarkdownV2Parser {
  private index = 0;
  private text = '';
  private readonly entities: MessageEntity[] = [];
  private readonly open: OpenEntity[] = [];
  private quote: { offset: number; expandable: boolean } | undefined;

  constructor(private readonly source: string) {}

  parse(): ParsedText {
    while (this.index < this.source.length) {
      this.step();
    }

    this.closeQuote();
    const unclosed = this.open.at(-1);
    if (unclosed !== undefined) {
      throw this.unclosedError(unclosed);
    }

    return { text: this.text, entities: sortEntities(this.entities) };
  }

  private step(): void {
    const { source, index } = this;
    const char = source[index] ?? '';
    const atLineStart = index === 0 || source[index - 1] === '\n';

    if (char === '\\') {
      this.parseEscape();
      return;
    }

    if (atLineStart && (char === '>' || source.startsWith('**>', index))) {
      const expandable = char !== '>';
      this.quote ??= { offset: this.text.length, expandable };
      this.index += expandable ? 3 : 1;
      return;
    }

    if (char === '\n') {
      this.text += char;
      this.index += 1;
      if (this.quote !== undefined && source[this.index] !== '>') {
        this.closeQuote();
      }

      return;
    }

    if (this.quote?.expandable && source.startsWith('||', index) && /^\|\|(\n|$)/.test(source.slice(index))) {
      this.index += 2;
      this.closeQuote();
      return;
    }

    if (char === '`') {
      this.parseCode();
      return;
    }

    if (char === '[' || source.startsWith('![', index)) {
      const type = char === '[' ? 'text_link' : 'custom_emoji';
      const name = char === '[' ? 'TextUrl' : 'CustomEmoji';
      this.open.push({ type, marker: ']', name, offset: this.text.length, sourceIndex: index });
      this.index += char === '[' ? 1 : 2;
      return;
    }

    if (char === ']' && this.open.some((entity) => entity.marker === ']')) {
      this.closeLink();
      return;
    }

    const toggle = TOGGLES.find((candidate) => source.startsWith(candidate.marker, index));
    if (toggle !== undefined) {
      this.applyToggle(toggle);
      return;
    }

    if (RESERVED.has(char)) {
      throw cannotParseEntities(
        `Character '${char}' is reserved and must be escaped with the preceding '\\'`,
      );
    }

    this.text += char;
    this.index += 1;
  }

  /** Any character with code 1 to 126 can be escaped. A backslash before anything else stays a backslash. */
  private parseEscape(): void {
    const next = this.source.charCodeAt(this.index + 1);
    if (next >= 1 && next <= 126) {
      this.text += this.source[this.index + 1];
      this.index += 2;
      return;
    }

    this.text += '\\';
    this.index += 1;
  }

  private parseCode(): void {
    const start = this.index;
    const fence = this.source.startsWith('```', start) ? '```' : '`';
    let contentStart = start + fence.length;
    let language = '';

    if (fence === '```') {
      const firstLine = /^([^\s`]*)\n/.exec(this.source.slice(contentStart));
      if (firstLine !== null) {
        language = firstLine[1] ?? '';
        contentStart += firstLine[0].length;
      }
    }

    const { content, end } = this.readUntil(contentStart, fence);
    if (end === -1) {
      const name = fence === '```' ? 'Pre' : 'Code';
      throw cannotParseEntities(
        `Can't find end of ${name} entity at byte offset ${byteOffset(this.source, start)}`,
      );
    }

    const offset = this.text.length;
    this.text += content;
    if (content.length > 0) {
      const entity: MessageEntity =
        fence === '```'
          ? { type: 'pre', offset, length: content.length, ...(language ? { language } : {}) }
          : { type: 'code', offset, length: content.length };
      this.entities.push(entity);
    }

    this.index = end + fence.length;
  }

  /** Reads unescaped text from `from` until `terminator`. `end` is -1 when the terminator is missing. */
  private readUntil(from: number, terminator: string): { content: string; end: number } {
    let content = '';
    let index = from;

    while (index < this.source.length) {
      if (this.source.startsWith(terminator, index)) {
        return { content, end: index };
      }

      const escaped = this.source[index] === '\\' && this.source.charCodeAt(index + 1) <= 126;
      content += this.source[escaped ? index + 1 : index];
      index += escaped ? 2 : 1;
    }

    return { content, end: -1 };
  }

  private closeLink(): void {
    const top = this.open.at(-1);
    if (top === undefined || top.marker !== ']') {
      throw this.unclosedError(top ?? this.open[0]!);
    }

    this.open.pop();
    this.index += 1;
    if (this.source[this.index] !== '(') {
      throw cannotParseEntities(
        `Can't find end of a URL at byte offset ${byteOffset(this.source, this.index)}`,
      );
    }

    const { content: url, end } = this.readUntil(this.index + 1, ')');
    if (end === -1) {
      throw cannotParseEntities(
        `Can't find end of a URL at byte offset ${byteOffset(this.source, this.index)}`,
      );
    }

    this.index = end + 1;
    const length = this.text.length - top.offset;
    if (length === 0) {
      return;
    }

    if (top.type === 'text_link') {
      this.entities.push({ type: 'text_link', offset: top.offset, length, url });
      return;
    }

    const emojiId = /^tg:\/\/emoji\?id=(\d+)$/.exec(url)?.[1];
    if (emojiId === undefined) {
      throw cannotParseEntities(`Custom emoji entity must contain a tg://emoji URL, found "${url}"`);
    }

    this.entities.push({ type: 'custom_emoji', offset: top.offset, length, custom_emoji_id: emojiId });
  }

  private applyToggle(toggle: (typeof TOGGLES)[number]): void {
    const top = this.open.at(-1);
    const openIndex = this.open.findIndex((entity) => entity.marker === toggle.marker);

    if (openIndex === -1) {
      this.open.push({ ...toggle, offset: this.text.length, sourceIndex: this.index });
      this.index += toggle.marker.length;
      return;
    }

    // Entities may nest but not overlap: the entity closed here must be the innermost one.
    if (top !== undefined && openIndex !== this.open.length - 1) {
      throw this.unclosedError(top);
    }

    const entity = this.open.pop();
    this.index += toggle.marker.length;
    const length = this.text.length - (entity?.offset ?? 0);
    if (entity !== undefined && length > 0) {
      this.entities.push({ type: toggle.type, offset: entity.offset, length });
    }
  }

  private closeQuote(): void {
    if (this.quote === undefined) {
      return;
    }

    const length = this.text.replace(/\n$/, '').length - this.quote.offset;
    if (length > 0) {
      const type = this.quote.expandable ? 'expandable_blockquote' : 'blockquote';
      this.entities.push({ type, offset: this.quote.offset, length });
    }

    this.quote = undefined;
  }

  private unclosedError(entity: OpenEntity) {
    const offset = byteOffset(this.source, entity.sourceIndex);
    return cannotParseEntities(`Can't find end of ${entity.name} entity at byte offset ${offset}`);
  }
}

/**
 * Parses legacy Markdown: `*bold*`, `_italic_`, `` `code` ``, ```` ```pre``` ```` and `[text](url)`,
 * without nesting. Outside entities, `\` escapes `_ * \` [`.
 * @throws FakeApiError 400 "Can't find end of the entity starting at byte offset N".
 */
export function parseMarkdown(source: string): ParsedText {
  const entities: MessageEntity[] = [];
  let text = '';
  let index = 0;

  while (index < source.length) {
    const char = source[index] ?? '';

    if (char === '\\' && '_*`['.includes(source[index + 1] ?? ' ')) {
      text += source[index + 1];
      index += 2;
      continue;
    }

    if (!'_*`['.includes(char)) {
      text += char;
      index += 1;
      continue;
    }

    const notClosed = cannotParseEntities(
      `Can't find end of the entity starting at byte offset ${byteOffset(source, index)}`,
    );
    const fence = legacyFence(source, index);
    const end = source.indexOf(fence, index + (fence === '```' ? 3 : 1));
    if (end === -1) {
      throw notClosed;
    }

    const content = source.slice(index + (fence === '```' ? 3 : 1), end);
    const offset = text.length;
    index = end + fence.length;

    if (char === '[') {
      const urlEnd = source[index] === '(' ? source.indexOf(')', index) : -1;
      if (urlEnd === -1) {
        throw notClosed;
      }

      entities.push({
        type: 'text_link',
        offset,
        length: content.length,
        url: source.slice(index + 1, urlEnd),
      });
      index = urlEnd + 1;
    } else {
      entities.push({ type: LEGACY_TYPES[fence] ?? 'italic', offset, length: content.length });
    }

    text += content;
  }

  return { text, entities: sortEntities(entities.filter((entity) => entity.length > 0)) };
}

/** Entity type of each legacy Markdown marker. */
const LEGACY_TYPES: Readonly<Record<string, 'pre' | 'code' | 'bold' | 'italic'>> = {
  '```': 'pre',
  '`': 'code',
  '*': 'bold',
  _: 'italic',
};

/** Returns the markup that closes the legacy Markdown entity starting at `index`. */
function legacyFence(source: string, index: number): string {
  if (source.startsWith('```', index)) {
    return '```';
  }

  const char = source[index] ?? '';
  return char === '[' ? ']' : char;
}

/** Sorts entities as Telegram returns them: by offset, longer (outer) entities first. */
export function sortEntities(entities: MessageEntity[]): MessageEntity[] {
  return entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
}
