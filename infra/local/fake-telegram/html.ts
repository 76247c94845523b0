import type { MessageEntity } from '@grammyjs/types';
import { byteOffset, cannotParseEntities } from './api-error';
import { type ParsedText, sortEntities } from './markdown';

/** Entity type of each tag that the Bot API "HTML style" section lists. */
const TAG_TYPES: Readonly<Record<string, MessageEntity['type']>> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  span: 'spoiler',
  'tg-spoiler': 'spoiler',
  a: 'text_link',
  'tg-emoji': 'custom_emoji',
  code: 'code',
  pre: 'pre',
  blockquote: 'blockquote',
};

/** The named character references that the Bot API supports. Numeric references are all supported. */
const NAMED_REFERENCES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"' };

interface OpenTag {
  name: string;
  attributes: Record<string, string>;
  offset: number;
  /** Language from a nested `<code class="language-…">`, for `pre` tags. */
  language?: string;
}

/**
 * Parses Telegram's HTML subset into text and entities.
 * @throws FakeApiError 400 "can't parse entities" for an unsupported or unclosed tag, or an end tag
 *   that does not match the innermost open tag, with offsets in UTF-8 bytes.
 */
export function parseHtml(source: string): ParsedText {
  const entities: MessageEntity[] = [];
  const open: OpenTag[] = [];
  let text = '';
  let index = 0;

  while (index < source.length) {
    const char = source[index] ?? '';

    if (char === '&') {
      const reference = /^&(#\d+|#x[\da-f]+|[a-z]+);/i.exec(source.slice(index, index + 12));
      const decoded = reference === null ? undefined : decodeReference(reference[1] ?? '');
      text += decoded ?? '&';
      index += decoded === undefined ? 1 : (reference?.[0].length ?? 1);
      continue;
    }

    if (char !== '<') {
      text += char;
      index += 1;
      continue;
    }

    const tagEnd = findTagEnd(source, index);
    const at = byteOffset(source, index);
    if (tagEnd === -1) {
      throw cannotParseEntities(`Unclosed start tag at byte offset ${at}`);
    }

    const tag = source.slice(index, tagEnd + 1);
    index = tagEnd + 1;

    if (tag.startsWith('</')) {
      const entity = closeTag(tag, open, text.length, at);
      if (entity !== undefined) {
        entities.push(entity);
      }

      continue;
    }

    open.push(openTag(tag, text.length, at));
  }

  const unclosed = open.at(-1);
  if (unclosed !== undefined) {
    throw cannotParseEntities(`Can't find end tag corresponding to start tag "${unclosed.name}"`);
  }

  return { text, entities: sortEntities(entities) };
}

function decodeReference(name: string): string | undefined {
  if (name.startsWith('#')) {
    const codePoint =
      name[1]?.toLowerCase() === 'x' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
    return codePoint > 0 && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : undefined;
  }

  return NAMED_REFERENCES[name.toLowerCase()];
}

/** Returns the index of the `>` that ends the tag at `start`, skipping quoted attribute values. */
function findTagEnd(source: string, start: number): number {
  let quote: string | undefined;

  for (let index = start + 1; index < source.length; index++) {
    const char = source[index];
    if (quote !== undefined) {
      quote = char === quote ? undefined : quote;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '>') {
      return index;
    }
  }

  return -1;
}

function openTag(tag: string, offset: number, at: number): OpenTag {
  const name = (/^<([a-z][\w-]*)/i.exec(tag)?.[1] ?? '').toLowerCase();
  if (TAG_TYPES[name] === undefined) {
    throw cannotParseEntities(`Unsupported start tag "${name}" at byte offset ${at}`);
  }

  const attributes: Record<string, string> = {};
  for (const match of tag
    .slice(name.length + 1)
    .matchAll(/([a-z][\w-]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?/gi)) {
    const value = match[2] ?? '';
    attributes[(match[1] ?? '').toLowerCase()] = value.replace(/^["']|["']$/g, '');
  }

  if (name === 'span' && attributes.class !== 'tg-spoiler') {
    throw cannotParseEntities(`Tag "span" must have class "tg-spoiler" at byte offset ${at}`);
  }

  if (name === 'tg-emoji' && !/^\d+$/.test(attributes['emoji-id'] ?? '')) {
    throw cannotParseEntities(`Tag "tg-emoji" must have attribute "emoji-id" at byte offset ${at}`);
  }

  return { name, attributes, offset };
}

function closeTag(tag: string, open: OpenTag[], textLength: number, at: number): MessageEntity | undefined {
  const name = (/^<\/\s*([a-z][\w-]*)\s*>$/i.exec(tag)?.[1] ?? '').toLowerCase();
  const top = open.at(-1);
  if (top === undefined) {
    throw cannotParseEntities(`Unexpected end tag at byte offset ${at}`);
  }

  if (top.name !== name) {
    throw cannotParseEntities(
      `Unmatched end tag at byte offset ${at}, expected "</${top.name}>", found "</${name}>"`,
    );
  }

  open.pop();
  const parent = open.at(-1);
  const length = textLength - top.offset;
  const language = /^language-(.+)$/.exec(top.attributes.class ?? '')?.[1];

  // <pre><code class="language-x"> is one pre entity with a language, not a code entity inside a pre.
  if (name === 'code' && parent?.name === 'pre') {
    parent.language = language;
    return undefined;
  }

  if (length === 0) {
    return undefined;
  }

  const entity: MessageEntity = {
    type: TAG_TYPES[name] ?? 'bold',
    offset: top.offset,
    length,
  } as MessageEntity;
  return withAttributes(entity, top);
}

function withAttributes(entity: MessageEntity, tag: OpenTag): MessageEntity | undefined {
  switch (tag.name) {
    case 'a':
      return tag.attributes.href ? { ...entity, type: 'text_link', url: tag.attributes.href } : undefined;
    case 'tg-emoji':
      return { ...entity, type: 'custom_emoji', custom_emoji_id: tag.attributes['emoji-id'] ?? '' };
    case 'pre':
      return tag.language ? { ...entity, type: 'pre', language: tag.language } : entity;
    case 'blockquote':
      return 'expandable' in tag.attributes ? { ...entity, type: 'expandable_blockquote' } : entity;
    default:
      return entity;
  }
}
