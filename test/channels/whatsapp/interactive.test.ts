import type { ActionButton, OutgoingMessage } from '../../../lib/channels/channel';
import { htmlToWhatsApp } from '../../../lib/channels/whatsapp/format';
import type {
  GraphButtonMessage,
  GraphListMessage,
  GraphOutgoingMessage,
} from '../../../lib/channels/whatsapp/graph-types';
import {
  WHATSAPP_MESSAGE_LIMITS as LIMITS,
  LIST_BUTTON_TEXT,
  packRows,
  renderOutgoingMessage,
} from '../../../lib/channels/whatsapp/interactive';
import type { Transaction } from '../../../lib/domain/transaction';
import type { User } from '../../../lib/domain/user';
import { en, buttons as labels } from '../../../lib/messages/en';
import {
  categoryButtons,
  currencyButtons,
  notificationButtons,
  settingsButtons,
  transactionButtons,
} from '../../../lib/processor/keyboards';

const TO = '5511900000001';

function transaction(overrides: Partial<Transaction> = {}): Transaction {
  return {
    userId: 'user-7',
    transactionId: '01JQ8Z6W3D7V5K9M2N4P6R8T0A',
    kind: 'expense',
    amountMinor: 3250,
    currency: 'BRL',
    date: '2026-06-05',
    description: 'uber',
    category: 'Transportation',
    status: 'saved',
    confidence: 0.92,
    source: { channel: 'whatsapp', chatId: `100200300:${TO}`, messageId: 'wamid.IN7' },
    createdAtEpochMs: 1_780_000_000_000,
    updatedAtEpochMs: 1_780_000_000_000,
    ...overrides,
  };
}

function user(overrides: Partial<User> = {}): User {
  return {
    userId: 'user-7',
    identities: [`whatsapp:${TO}`],
    homeCurrency: 'BRL',
    timeZone: 'America/Sao_Paulo',
    status: 'active',
    settingsConfirmed: true,
    createdAtEpochMs: 1_780_000_000_000,
    updatedAtEpochMs: 1_780_000_000_000,
    ...overrides,
  };
}

const NOTIFYING_USER = user({
  notifications: {
    weeklySummary: true,
    channels: ['email', 'sms'],
    email: { address: 'joao@example.com', confirmedAtEpochMs: 1_780_000_000_000 },
    phoneNumber: '+5511900000001',
  },
});

/** Every keyboard the core sends, with the reply text it goes with. */
const KEYBOARDS: Array<[string, OutgoingMessage]> = [
  ['saved transaction', { text: en.saved(transaction()), buttons: transactionButtons(transaction()) }],
  [
    'confirmed transaction',
    {
      text: en.confirmed(transaction({ status: 'confirmed' })),
      buttons: transactionButtons(transaction({ status: 'confirmed' })),
    },
  ],
  ['category picker', { text: en.chooseCategory(transaction()), buttons: categoryButtons(transaction()) }],
  [
    'category picker without a category',
    {
      text: en.chooseCategory(transaction({ category: undefined })),
      buttons: categoryButtons(transaction({ category: undefined })),
    },
  ],
  ['currencies', { text: en.settingsPrompt(user()), buttons: currencyButtons() }],
  ['notifications, none set up', { text: en.settingsOverview(user()), buttons: notificationButtons(user()) }],
  [
    'notifications, e-mail and SMS on',
    { text: en.settingsOverview(NOTIFYING_USER), buttons: notificationButtons(NOTIFYING_USER) },
  ],
  ['settings', { text: en.settingsOverview(user()), buttons: settingsButtons(user()) }],
  [
    'settings, notifications on',
    { text: en.settingsOverview(NOTIFYING_USER), buttons: settingsButtons(NOTIFYING_USER) },
  ],
];

function isInteractive(message: GraphOutgoingMessage): message is GraphButtonMessage | GraphListMessage {
  return message.type === 'interactive';
}

function actionsOf(message: GraphOutgoingMessage): string[] {
  if (!isInteractive(message)) {
    return [];
  }
  if (message.interactive.type === 'button') {
    return message.interactive.action.buttons.map((button) => button.reply.id);
  }

  return message.interactive.action.sections.flatMap((section) => section.rows.map((row) => row.id));
}

/** Collects every WhatsApp limit that `message` breaks, as readable strings. */
function limitViolations(message: GraphOutgoingMessage): string[] {
  const violations: string[] = [];
  const check = (ok: boolean, description: string) => {
    if (!ok) {
      violations.push(description);
    }
  };
  check(message.to === TO, `recipient ${message.to}`);

  if (message.type === 'text') {
    check(message.text.body.trim() !== '', 'empty text body');
    check(message.text.body.length <= LIMITS.textBody, `text body of ${message.text.body.length}`);
    return violations;
  }
  if (!isInteractive(message)) {
    violations.push(`unexpected type ${message.type}`);
    return violations;
  }

  const body = message.interactive.body.text;
  check(body.trim() !== '', 'empty interactive body');
  check(body.length <= LIMITS.interactiveBody, `interactive body of ${body.length}`);

  if (message.interactive.type === 'button') {
    const buttons = message.interactive.action.buttons;
    const titles = buttons.map((button) => button.reply.title);
    check(buttons.length >= 1 && buttons.length <= LIMITS.replyButtons, `${buttons.length} reply buttons`);
    check(new Set(titles).size === titles.length, 'duplicate button titles');
    for (const { reply } of buttons) {
      check(reply.title !== '' && reply.title.length <= LIMITS.buttonTitle, `button title "${reply.title}"`);
      check(reply.id.length <= LIMITS.buttonId, `button id of ${reply.id.length}`);
    }
    return violations;
  }

  const { button, sections } = message.interactive.action;
  const rows = sections.flatMap((section) => section.rows);
  check(button !== '' && button.length <= LIMITS.listButton, `list button "${button}"`);
  check(sections.length === 1, `${sections.length} sections without titles`);
  check(rows.length >= 1 && rows.length <= LIMITS.listRows, `${rows.length} rows`);
  check(new Set(rows.map((row) => row.id)).size === rows.length, 'duplicate row ids');
  for (const row of rows) {
    check(row.title !== '' && row.title.length <= LIMITS.rowTitle, `row title "${row.title}"`);
    check((row.description ?? '').length <= LIMITS.rowDescription, `row description "${row.description}"`);
    check(row.id.length <= LIMITS.rowId, `row id of ${row.id.length}`);
  }
  return violations;
}

describe('renderOutgoingMessage', () => {
  describe.each(KEYBOARDS)('%s keyboard', (_name, message) => {
    const rendered = renderOutgoingMessage(TO, message);
    const buttons = (message.buttons ?? []).flat();

    it('keeps every WhatsApp limit', () => {
      expect(rendered.flatMap(limitViolations)).toEqual([]);
    });

    it('offers every action once, in order', () => {
      expect(rendered.flatMap(actionsOf)).toEqual(buttons.map((button) => button.action));
    });

    it('shows every label whole in a title or description', () => {
      const shown = rendered
        .filter(isInteractive)
        .flatMap((part) =>
          part.interactive.type === 'button'
            ? part.interactive.action.buttons.map((button) => button.reply.title)
            : part.interactive.action.sections.flatMap((section) =>
                section.rows.map((row) => row.description ?? row.title),
              ),
        );

      expect(shown).toEqual(buttons.map((button: ActionButton) => button.label));
    });

    it('ends with a message that carries buttons', () => {
      expect(actionsOf(rendered.at(-1)!).length).toBeGreaterThan(0);
    });
  });

  describe('reply buttons', () => {
    it('renders the three buttons of a confirmed transaction', () => {
      const confirmed = transaction({ status: 'confirmed' });
      const [message, ...rest] = renderOutgoingMessage(TO, {
        text: en.confirmed(confirmed),
        buttons: transactionButtons(confirmed),
      });

      expect(rest).toEqual([]);
      expect(message).toMatchObject({
        type: 'interactive',
        interactive: { type: 'button', body: { text: expect.stringContaining('*Expense: 32.50 BRL*') } },
      });
      expect((message as GraphButtonMessage).interactive.action.buttons.map((b) => b.reply.title)).toEqual([
        labels.edit,
        labels.delete,
        labels.changeCategory,
      ]);
    });

    it('falls back to a list for a label over 20 characters', () => {
      const [message] = renderOutgoingMessage(TO, {
        text: 'Weekly summary',
        buttons: [[{ label: labels.weeklySummaryOff, action: 'n:weekly:0' }]],
      });

      expect(message).toMatchObject({ interactive: { type: 'list' } });
    });

    it('falls back to a list for repeated labels', () => {
      const [message] = renderOutgoingMessage(TO, {
        text: 'Pick',
        buttons: [
          [
            { label: 'Same', action: 'a' },
            { label: 'Same', action: 'b' },
          ],
        ],
      });

      expect(message).toMatchObject({ interactive: { type: 'list' } });
    });
  });

  describe('lists', () => {
    it('renders the four buttons of a saved transaction as one list', () => {
      const rendered = renderOutgoingMessage(TO, {
        text: en.saved(transaction()),
        buttons: transactionButtons(transaction()),
      });

      expect(rendered).toHaveLength(1);
      expect(rendered[0]).toMatchObject({
        interactive: { type: 'list', body: { text: expect.stringMatching(/^✅ Saved\n/) } },
      });
      expect((rendered[0] as GraphListMessage).interactive.action.button).toBe(LIST_BUTTON_TEXT);
    });

    it('splits the 16-row category picker into two numbered lists', () => {
      const rendered = renderOutgoingMessage(TO, {
        text: en.chooseCategory(transaction()),
        buttons: categoryButtons(transaction()),
      }) as GraphListMessage[];

      expect(rendered.map((part) => part.interactive.type)).toEqual(['list', 'list']);
      expect(rendered.map((part) => actionsOf(part).length)).toEqual([10, 6]);
      expect(rendered[0]!.interactive.body.text).toBe(
        `(1/2) ${htmlToWhatsApp(en.chooseCategory(transaction()))}`,
      );
      expect(rendered[1]!.interactive.body.text).toBe('(2/2) 🏷️ Choose a category');
      expect(rendered[1]!.interactive.action.sections[0]!.rows.at(-1)).toEqual({
        id: categoryButtons(transaction()).at(-1)![0]!.action,
        title: labels.back,
      });
    });

    it('keeps the currency rows together in the settings lists', () => {
      const rendered = renderOutgoingMessage(TO, {
        text: en.settingsOverview(user()),
        buttons: settingsButtons(user()),
      });

      // Eight currencies and the weekly summary, then the three channels, all off and AI insights.
      expect(rendered.map((part) => actionsOf(part).length)).toEqual([9, 5]);
    });

    it('moves a long label to the description', () => {
      const rendered = renderOutgoingMessage(TO, {
        text: 'Notifications',
        buttons: notificationButtons(user()),
      }) as GraphListMessage[];
      const rows = rendered[0]!.interactive.action.sections[0]!.rows;

      expect(rows[0]).toEqual({
        id: notificationButtons(user())[0]![0]!.action,
        title: '📅 Turn weekly summary…',
        description: labels.weeklySummaryOn,
      });
    });

    it('cuts a label over 72 characters in the description too', () => {
      const label = `Category ${'x'.repeat(100)}`;
      const [message] = renderOutgoingMessage(TO, {
        text: 'Pick',
        buttons: [
          [{ label, action: 'a' }],
          [{ label: 'b', action: 'b' }],
          [{ label: 'c', action: 'c' }],
          [{ label: 'd', action: 'd' }],
        ],
      }) as GraphListMessage[];
      const row = message!.interactive.action.sections[0]!.rows[0]!;

      expect(row.title.length).toBeLessThanOrEqual(LIMITS.rowTitle);
      expect(row.description!.length).toBeLessThanOrEqual(LIMITS.rowDescription);
      expect(row.description!.endsWith('…')).toBe(true);
    });
  });

  describe('text', () => {
    it('renders a reply without buttons as one text message', () => {
      expect(renderOutgoingMessage(TO, { text: en.help() })).toEqual([
        { type: 'text', to: TO, text: { body: expect.stringMatching(/^\*How to use Financy\*\n/) } },
      ]);
    });

    it('renders an empty button list as text', () => {
      const [message] = renderOutgoingMessage(TO, { text: en.deleted(transaction()), buttons: [] });

      expect(message).toEqual({ type: 'text', to: TO, text: { body: '🗑️ Deleted: 32.50 BRL (uber)' } });
    });

    it('splits a text over 4096 characters at line boundaries', () => {
      const lines = Array.from({ length: 300 }, (_, index) => `Line ${index}: ${'·'.repeat(20)}`);
      const rendered = renderOutgoingMessage(TO, { text: lines.join('\n') });
      const bodies = rendered.map((part) => (part.type === 'text' ? part.text.body : ''));

      expect(rendered.length).toBeGreaterThan(1);
      expect(rendered.flatMap(limitViolations)).toEqual([]);
      expect(bodies.join('\n')).toBe(lines.join('\n'));
      for (const body of bodies) {
        expect(body.split('\n').every((line) => lines.includes(line))).toBe(true);
      }
    });
  });

  describe('long text with buttons', () => {
    const longText = `<b>Report</b>\n${'A line of the monthly report.\n'.repeat(60)}`;

    it('sends the text first and a short body with the buttons', () => {
      const rendered = renderOutgoingMessage(TO, {
        text: longText,
        buttons: transactionButtons(transaction()),
      });

      expect(rendered.map((part) => part.type)).toEqual(['text', 'interactive']);
      expect(rendered[0]).toMatchObject({ text: { body: expect.stringMatching(/^\*Report\*\nA line/) } });
      expect(rendered[1]).toMatchObject({ interactive: { type: 'list', body: { text: 'Report' } } });
      expect(rendered.flatMap(limitViolations)).toEqual([]);
    });

    it('numbers the short bodies of split lists', () => {
      const rendered = renderOutgoingMessage(TO, { text: longText, buttons: categoryButtons(transaction()) });

      expect(rendered.map((part) => (isInteractive(part) ? part.interactive.body.text : 'text'))).toEqual([
        'text',
        '(1/2) Report',
        '(2/2) Report',
      ]);
    });

    it('moves a body that fits alone but not with its part number', () => {
      const text = 'x'.repeat(LIMITS.interactiveBody - 2);
      const rendered = renderOutgoingMessage(TO, { text, buttons: categoryButtons(transaction()) });

      expect(rendered.map((part) => part.type)).toEqual(['text', 'interactive', 'interactive']);
      expect(rendered.flatMap(limitViolations)).toEqual([]);
    });
  });
});

describe('packRows', () => {
  const button = (action: string): ActionButton => ({ label: action, action });

  it('keeps rows together while they fit', () => {
    const rows = [[button('a'), button('b')], [button('c'), button('d')], [button('e')]];

    expect(packRows(rows, 4).map((group) => group.map((entry) => entry.action))).toEqual([
      ['a', 'b', 'c', 'd'],
      ['e'],
    ]);
  });

  it('splits a row longer than a group', () => {
    const row = ['a', 'b', 'c', 'd', 'e'].map(button);

    expect(packRows([row], 2).map((group) => group.length)).toEqual([2, 2, 1]);
  });
});
