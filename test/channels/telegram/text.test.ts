import { parseHtml } from '../../../infra/local/fake-telegram/html';
import { parseMarkdownV2 } from '../../../infra/local/fake-telegram/markdown';
import { CallbackDataTooLongError } from '../../../lib/channels/telegram/errors';
import {
  assertCallbackData,
  assertReplyMarkupData,
  escapeHtml,
  escapeMarkdownV2,
  MAX_MESSAGE_LENGTH,
  splitMessage,
  splitsSurrogatePair,
} from '../../../lib/channels/telegram/text';

const withoutWhitespace = (value: string) => value.replace(/\s+/g, '');

/** Characters that stress escaping and splitting: every reserved one, emoji and multi-byte letters. */
const ALPHABET = [...'ab \n.-_*[]()~`>#+=|{}!\\&<"é€', '😀'];

/** Returns a deterministic pseudo-random text generator, so failures reproduce. */
function textGenerator(seed: number): (length: number) => string {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };

  return (length) => Array.from({ length }, () => ALPHABET[Math.floor(next() * ALPHABET.length)]).join('');
}

/** Builds a formatted document of escaped fragments in bold, italic, links, code blocks and plain text. */
function formattedDocument(seed: number, mode: 'HTML' | 'MarkdownV2'): string {
  const randomText = textGenerator(seed);
  const fragments = Array.from({ length: 300 }, (_, index) => {
    const raw = randomText(5 + ((index * 7) % 40));
    const kind = index % 5;
    if (mode === 'HTML') {
      const escaped = escapeHtml(raw);
      const wrapped = [
        `<b>${escaped}</b>`,
        `<i>${escaped}</i>`,
        `<a href="https://example.com/?a=1&amp;b=2">${escaped}</a>`,
      ];
      return (
        wrapped[kind] ?? (kind === 3 ? `<pre><code class="language-js">${escaped}</code></pre>` : escaped)
      );
    }

    const escaped = escapeMarkdownV2(raw);
    const wrapped = [`*${escaped}*`, `_${escaped}_`, `[${escaped}](https://example.com/x\\)y)`];
    return wrapped[kind] ?? (kind === 3 ? `\`\`\`js\n${raw.replace(/[`\\]/g, '\\$&')}\`\`\`` : escaped);
  });

  return fragments.join(seed % 2 === 0 ? ' ' : '\n');
}

describe('escapeMarkdownV2', () => {
  it('escapes decimals and hyphens', () => {
    expect(escapeMarkdownV2('Saved 3.50 EUR - Food-Drinks')).toBe('Saved 3\\.50 EUR \\- Food\\-Drinks');
  });

  it('escapes every reserved character', () => {
    const reserved = '\\_*[]()~`>#+-=|{}.!';

    const escaped = escapeMarkdownV2(reserved);

    expect(escaped).toBe([...reserved].map((char) => `\\${char}`).join(''));
  });

  it('leaves ordinary text unchanged', () => {
    expect(escapeMarkdownV2('Cafe Luna 12 EUR 🍕')).toBe('Cafe Luna 12 EUR 🍕');
  });
});

describe('escaping round trip', () => {
  const randomText = textGenerator(7);
  const samples = Array.from({ length: 50 }, (_, index) => randomText(20 + index * 3));

  it('parses escaped MarkdownV2 back', () => {
    for (const sample of samples) {
      expect(parseMarkdownV2(escapeMarkdownV2(sample)).text).toBe(sample);
    }
  });

  it('parses escaped HTML back', () => {
    for (const sample of samples) {
      expect(parseHtml(escapeHtml(sample)).text).toBe(sample);
    }
  });
});

describe('escapeHtml', () => {
  it('escapes ampersand and angle brackets', () => {
    expect(escapeHtml('A&B <b>3 > 2</b>')).toBe('A&amp;B &lt;b&gt;3 &gt; 2&lt;/b&gt;');
  });
});

describe('assertCallbackData', () => {
  it('accepts exactly 64 bytes', () => {
    expect(() => assertCallbackData('x'.repeat(64))).not.toThrow();
  });

  it('rejects 65 bytes', () => {
    expect(() => assertCallbackData('x'.repeat(65))).toThrow(CallbackDataTooLongError);
  });

  it('counts UTF-8 bytes, not characters', () => {
    expect(() => assertCallbackData('€'.repeat(22))).toThrow(CallbackDataTooLongError);
  });

  it('names the size and the fix', () => {
    expect(() => assertCallbackData('x'.repeat(70))).toThrow(/70 bytes.*store the payload on the server/);
  });
});

describe('assertReplyMarkupData', () => {
  it('checks every inline button', () => {
    const markup = {
      inline_keyboard: [
        [{ text: 'Ok', callback_data: 'ok' }],
        [{ text: 'Long', callback_data: 'x'.repeat(65) }],
      ],
    };

    expect(() => assertReplyMarkupData(markup)).toThrow(CallbackDataTooLongError);
  });

  it('ignores reply keyboards', () => {
    expect(() => assertReplyMarkupData({ keyboard: [[{ text: 'x'.repeat(100) }]] })).not.toThrow();
  });
});

describe('splitMessage', () => {
  it('keeps short text whole', () => {
    expect(splitMessage('Saved 3.50 EUR')).toEqual(['Saved 3.50 EUR']);
  });

  it('keeps text of exactly the limit', () => {
    const text = 'x'.repeat(MAX_MESSAGE_LENGTH);

    expect(splitMessage(text)).toEqual([text]);
  });

  it('loses nothing but split whitespace', () => {
    const text = Array.from({ length: 400 }, (_, index) => `Line ${index}: coffee 3.50 EUR`).join('\n');

    const parts = splitMessage(text, 500);

    expect(withoutWhitespace(parts.join(''))).toBe(withoutWhitespace(text));
  });

  it('keeps every part within the limit', () => {
    const text = 'Groceries 12.40 EUR. '.repeat(1000);

    const parts = splitMessage(text);

    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
    }
  });

  it('prefers paragraphs over lines', () => {
    const text = `${'a'.repeat(30)}\n\n${'b'.repeat(20)}\n${'c'.repeat(20)}`;

    expect(splitMessage(text, 60)).toEqual(['a'.repeat(30), `${'b'.repeat(20)}\n${'c'.repeat(20)}`]);
  });

  it('prefers lines over spaces', () => {
    const text = `${'a'.repeat(15)} ${'a'.repeat(10)}\n${'b'.repeat(5)} ${'b'.repeat(20)}`;

    expect(splitMessage(text, 40)[0]).toBe(`${'a'.repeat(15)} ${'a'.repeat(10)}`);
  });

  it('never cuts a surrogate pair', () => {
    const text = '😀'.repeat(3000);

    const parts = splitMessage(text);

    for (const part of parts) {
      expect(splitsSurrogatePair(part, part.length)).toBe(false);
      expect(/^[\udc00-\udfff]/.test(part)).toBe(false);
    }
    expect(parts.join('')).toBe(text);
  });

  it('moves an emoji at the limit whole', () => {
    const text = `${'a'.repeat(39)}👍${'b'.repeat(10)}`;

    expect(splitMessage(text, 40)).toEqual(['a'.repeat(39), `👍${'b'.repeat(10)}`]);
  });

  it('never ends on a MarkdownV2 escape', () => {
    const text = `${'a'.repeat(39)}\\.${'b'.repeat(10)}`;

    const [first, second] = splitMessage(text, 40, 'MarkdownV2');

    expect(first).toBe('a'.repeat(39));
    expect(second).toBe(`\\.${'b'.repeat(10)}`);
  });

  it('treats backslashes literally without parse mode', () => {
    const text = `${'a'.repeat(39)}\\.${'b'.repeat(10)}`;

    expect(splitMessage(text, 40)[0]).toBe(`${'a'.repeat(39)}\\`);
  });

  it('keeps HTML elements whole', () => {
    const text = `${'word '.repeat(6)}<b>bold words here</b> ${'tail '.repeat(6)}`;

    const parts = splitMessage(text, 48, 'HTML');

    expect(parts.some((part) => part.includes('<b>bold words here</b>'))).toBe(true);
  });

  it('never cuts inside an HTML tag', () => {
    const text = `${'x'.repeat(35)}<a href="https://example.com/r/1">receipt</a>`;

    const parts = splitMessage(text, 40, 'HTML');

    for (const part of parts) {
      expect(part.split('<').length).toBe(part.split('>').length);
    }
  });

  it('never cuts an HTML character reference', () => {
    const text = `${'x'.repeat(37)}&amp;${'y'.repeat(10)}`;

    const parts = splitMessage(text, 40, 'HTML');

    expect(parts[1]?.startsWith('&amp;')).toBe(true);
  });

  it('reopens a long HTML element', () => {
    const text = `<b>${'bold '.repeat(30)}</b>`;

    const parts = splitMessage(text, 64, 'HTML');

    for (const part of parts) {
      expect(part.startsWith('<b>')).toBe(true);
      expect(part.endsWith('</b>')).toBe(true);
      expect(part.length).toBeLessThanOrEqual(64);
    }
  });

  it('reopens a long MarkdownV2 entity', () => {
    const text = `*${'bold '.repeat(30).trim()}*`;

    const parts = splitMessage(text, 64, 'MarkdownV2');

    for (const part of parts) {
      expect(part.startsWith('*')).toBe(true);
      expect(part.endsWith('*')).toBe(true);
    }
  });

  it('reopens a pre block with its language', () => {
    const text = `\`\`\`python\n${'print(1)\n'.repeat(10)}\`\`\``;

    const parts = splitMessage(text, 64, 'MarkdownV2');

    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.startsWith('```python\n')).toBe(true);
      expect(part.endsWith('```')).toBe(true);
    }
  });

  it.each([
    ['MarkdownV2', parseMarkdownV2],
    ['HTML', parseHtml],
  ] as const)('splits %s into parsable parts', (mode, parse) => {
    for (const seed of [1, 2, 3, 4]) {
      const document = formattedDocument(seed, mode);
      for (const limit of [300, 1000, MAX_MESSAGE_LENGTH]) {
        for (const part of splitMessage(document, limit, mode)) {
          expect(part.length).toBeLessThanOrEqual(limit);
          expect(() => parse(part)).not.toThrow();
        }
      }
    }
  });

  it('rejects a limit below 8', () => {
    expect(() => splitMessage('Saved', 4)).toThrow(RangeError);
  });
});
