import {
  convertHtml,
  decodeHtmlEntities,
  htmlToPlainText,
  htmlToWhatsApp,
} from '../../../lib/channels/whatsapp/format';
import {
  MAX_TEMPLATE_PARAMETER_LENGTH,
  templateParameterText,
} from '../../../lib/channels/whatsapp/template';
import { truncateText } from '../../../lib/channels/whatsapp/truncate';
import type { Transaction } from '../../../lib/domain/transaction';
import type { User } from '../../../lib/domain/user';
import { en } from '../../../lib/messages/en';

/** A saved expense whose merchant and description contain characters that HTML escapes. */
const TRANSACTION: Transaction = {
  userId: 'user-1',
  transactionId: 'transaction-1',
  kind: 'expense',
  amountMinor: 1250,
  currency: 'USD',
  date: '2026-03-14',
  description: 'lunch <with> Ana',
  merchant: "Ben & Jerry's",
  category: 'Food & Dining',
  status: 'saved',
  confidence: 0.9,
  source: { channel: 'whatsapp', chatId: '100200300:5511900000001', messageId: 'wamid.IN1' },
  createdAtEpochMs: 1_773_000_000_000,
  updatedAtEpochMs: 1_773_000_000_000,
};

/** A user with a confirmed e-mail address and the weekly summary on. */
const USER: User = {
  userId: 'user-1',
  identities: ['whatsapp:5511900000001'],
  homeCurrency: 'EUR',
  timeZone: 'Europe/Lisbon',
  status: 'active',
  settingsConfirmed: true,
  notifications: {
    weeklySummary: true,
    channels: ['email'],
    email: { address: 'ana@example.com', confirmedAtEpochMs: 1_773_000_000_000 },
  },
  createdAtEpochMs: 1_773_000_000_000,
  updatedAtEpochMs: 1_773_000_000_000,
};

describe('htmlToWhatsApp', () => {
  describe('bot replies', () => {
    it('bolds the amount of a saved transaction and decodes its entities', () => {
      expect(htmlToWhatsApp(en.saved(TRANSACTION))).toBe(
        [
          '✅ Saved',
          '*Expense: 12.50 USD*',
          "🏷️ Food & Dining · 📍 Ben & Jerry's",
          '📅 2026-03-14 · lunch <with> Ana',
        ].join('\n'),
      );
    });

    it('turns the welcome examples into inline code', () => {
      const text = htmlToWhatsApp(en.welcome('Ana <3'));

      expect(text).toContain('👋 Hi Ana <3! I');
      expect(text).toContain('• `spent 12.50 on lunch at Subway`\n• `taxi 18 yesterday`\n• `salary 2500`');
      expect(text).not.toMatch(/<\/?code>|&[a-z]+;/);
    });

    it('keeps the escaped placeholders of help as text', () => {
      const text = htmlToWhatsApp(en.help());

      expect(text.split('\n')[0]).toBe('*How to use Financy*');
      expect(text).toContain('/add <amount> <description> — record a transaction');
      expect(text).toContain('`coffee 3.20`, `uber 14 EUR yesterday`');
    });

    it('bolds each setting of the settings overview', () => {
      const lines = htmlToWhatsApp(en.settingsOverview(USER)).split('\n');

      expect(lines).toContain('⚙️ *Settings*');
      expect(lines).toContain('Home currency: *EUR*');
      expect(lines).toContain('📅 Weekly summary: *on*');
      expect(lines).toContain('✉️ E-mail: *on* (ana@example.com)');
      expect(lines).toContain('Tap a currency below, or send `/settings currency CAD`.');
    });

    it('leaves an underscore in a bolded address alone', () => {
      expect(htmlToWhatsApp(en.emailCodeSent('a_b@example.com', 10))).toBe(
        '✉️ I sent a 6-digit code to *a_b@example.com*. Send it here within 10 minutes to confirm the address.',
      );
    });

    it('passes a reply without markup through unchanged', () => {
      expect(htmlToWhatsApp(en.transactionGone())).toBe(en.transactionGone());
    });
  });

  describe('markup', () => {
    it.each([
      ['<b>bold</b>', '*bold*'],
      ['<strong>bold</strong>', '*bold*'],
      ['<i>italic</i>', '_italic_'],
      ['<em>italic</em>', '_italic_'],
      ['<s>gone</s>', '~gone~'],
      ['<del>gone</del>', '~gone~'],
      ['<u>under</u>', 'under'],
      ['<code>/help</code>', '`/help`'],
      ['<pre>a  b\nc</pre>', '```a  b\nc```'],
      ['<pre><code class="language-text">x = 1</code></pre>', '```x = 1```'],
      ['<b><i>both</i></b>', '*_both_*'],
      ['<tg-spoiler>hidden</tg-spoiler>', 'hidden'],
      ['<span class="tg-spoiler">hidden</span>', 'hidden'],
      ['one<br>two<br/>three', 'one\ntwo\nthree'],
    ])('converts %j', (html, expected) => {
      expect(htmlToWhatsApp(html)).toBe(expected);
    });

    it('keeps whitespace outside the markers', () => {
      expect(htmlToWhatsApp('a<b> bold </b>b')).toBe('a *bold* b');
    });

    it('marks each line of a multi-line span', () => {
      expect(htmlToWhatsApp('<b>first\nsecond\n\nthird</b>')).toBe('*first*\n*second*\n\n*third*');
    });

    it('drops markers around an empty span', () => {
      expect(htmlToWhatsApp('a<b> </b>b<i></i>')).toBe('a b');
    });

    it('drops a marker nested in the same marker', () => {
      expect(htmlToWhatsApp('<b>all <strong>of</strong> it</b>')).toBe('*all of it*');
    });

    it('leaves formatting inside code as text', () => {
      expect(htmlToWhatsApp('<code>a <b>b</b></code>')).toBe('`a b`');
    });

    it('turns multi-line inline code into a block', () => {
      expect(htmlToWhatsApp('<code>a\nb</code>')).toBe('```a\nb```');
    });

    it('quotes each line of a blockquote', () => {
      expect(htmlToWhatsApp('Note:\n<blockquote>first\nsecond</blockquote>')).toBe(
        'Note:\n> first\n> second',
      );
    });

    it('strips unknown tags and keeps their text', () => {
      expect(htmlToWhatsApp('<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji> <x-y>ok</x-y>')).toBe(
        '👍 ok',
      );
    });

    it('closes elements left open at the end', () => {
      expect(htmlToWhatsApp('<b>open <i>inner')).toBe('*open _inner_*');
    });

    it('ignores a stray end tag', () => {
      expect(htmlToWhatsApp('plain</b> text')).toBe('plain text');
    });

    it('adds no escapes to literal marker characters', () => {
      expect(htmlToWhatsApp('2*3 = 6, snake_case, ~5 EUR, `tick`')).toBe(
        '2*3 = 6, snake_case, ~5 EUR, `tick`',
      );
    });
  });

  describe('links', () => {
    it('shows the target after the text', () => {
      expect(htmlToWhatsApp('See <a href="https://example.com/help?a=1&amp;b=2">the guide</a>.')).toBe(
        'See the guide (https://example.com/help?a=1&b=2).',
      );
    });

    it('shows a link whose text is its target once', () => {
      expect(htmlToWhatsApp('<a href="https://example.com">https://example.com</a>')).toBe(
        'https://example.com',
      );
    });

    it('shows a mailto address once', () => {
      expect(htmlToWhatsApp("<a href='mailto:ana@example.com'>ana@example.com</a>")).toBe('ana@example.com');
    });

    it('keeps formatting in the link text', () => {
      expect(htmlToWhatsApp('<a href="https://example.com"><b>Open</b></a>')).toBe(
        '*Open* (https://example.com)',
      );
    });

    it('drops a Telegram-only target', () => {
      expect(htmlToWhatsApp('<a href="tg://user?id=42">Ana</a>')).toBe('Ana');
    });

    it('keeps the text of a link without a target', () => {
      expect(htmlToWhatsApp('<a>Ana</a>')).toBe('Ana');
    });
  });
});

describe('decodeHtmlEntities', () => {
  it.each([
    ['&amp;', '&'],
    ['&lt;b&gt;', '<b>'],
    ['&quot;quoted&quot;', '"quoted"'],
    ['it&#39;s', "it's"],
    ['it&apos;s', "it's"],
    ['&#x1F4B0;', '💰'],
    ['&AMP;', '&'],
  ])('decodes %j', (encoded, decoded) => {
    expect(decodeHtmlEntities(encoded)).toBe(decoded);
  });

  it.each(['&copy;', '&#xD800;', '&#0;', '& alone', '&#1114112;'])('keeps %j as written', (text) => {
    expect(decodeHtmlEntities(text)).toBe(text);
  });
});

describe('htmlToPlainText', () => {
  it('removes every marker from a bot reply', () => {
    expect(htmlToPlainText(en.settingsOverview(USER))).not.toMatch(/[*_~`<>]/);
  });

  it('keeps lines and link targets', () => {
    expect(htmlToPlainText('<b>Hi</b>\n<a href="https://example.com">docs</a>')).toBe(
      'Hi\ndocs (https://example.com)',
    );
  });

  it('equals the plain conversion', () => {
    const html = en.proposal(TRANSACTION);

    expect(htmlToPlainText(html)).toBe(convertHtml(html, 'plain'));
  });
});

describe('templateParameterText', () => {
  it('puts a multi-line reply on one line', () => {
    expect(templateParameterText(en.saved(TRANSACTION))).toBe(
      "✅ Saved · Expense: 12.50 USD · 🏷️ Food & Dining · 📍 Ben & Jerry's · 📅 2026-03-14 · lunch <with> Ana",
    );
  });

  it('leaves no line break, tab or run of 5 spaces in any reply', () => {
    const replies = [
      en.welcome('Ana'),
      en.help(),
      en.settingsOverview(USER),
      en.proposal(TRANSACTION),
      'a\t\tb\r\nc     d\n\n\te',
    ];

    for (const reply of replies) {
      const text = templateParameterText(reply);
      expect(text).not.toMatch(/[\r\n\t]/);
      expect(text).not.toMatch(/ {5}/);
      expect(text).not.toMatch(/<\/?(?:b|code)>|[*`]/);
    }
  });

  it('collapses tabs and long space runs', () => {
    expect(templateParameterText('a\t\tb\r\nc      d')).toBe('a · b · c d');
  });

  it('cuts a long reply to the limit with an ellipsis', () => {
    const text = templateParameterText(`<b>${'word '.repeat(400)}</b>`);

    expect(text).toHaveLength(MAX_TEMPLATE_PARAMETER_LENGTH);
    expect(text.startsWith('word word')).toBe(true);
    expect(text.endsWith('wor…')).toBe(true);
  });
});

describe('truncateText', () => {
  it('returns a short text unchanged', () => {
    expect(truncateText('✅ Confirm', 20)).toBe('✅ Confirm');
  });

  it('keeps an emoji whole', () => {
    // 🏷️ is three code units: the tag emoji (a surrogate pair) and a variation selector.
    expect(truncateText('🏷️ Change category', 4)).toBe('🏷️…');
    expect(truncateText('🏷️ Change category', 3)).toBe('…');
  });

  it('cuts to the limit and trims the space before the ellipsis', () => {
    const cut = truncateText('Food and Drinks with Friends', 10);

    expect(cut).toBe('Food and…');
    expect(cut.length).toBeLessThanOrEqual(10);
  });

  it('rejects a limit below one', () => {
    expect(() => truncateText('text', 0)).toThrow(RangeError);
  });
});
