import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startFakeWhatsApp } from '../../../infra/local/fake-whatsapp/server';
import type { FakeSentMessage, FakeWhatsApp } from '../../../infra/local/fake-whatsapp/types';
import { RecipientBlockedError } from '../../../lib/channels/channel';
import {
  WhatsAppActionIdError,
  WhatsAppInlineMessageError,
} from '../../../lib/channels/whatsapp/channel-errors';
import { whatsAppActionId, whatsAppChatId } from '../../../lib/channels/whatsapp/chat-id';
import { WhatsAppDeliveryTracker } from '../../../lib/channels/whatsapp/delivery-tracker';
import { htmlToWhatsApp } from '../../../lib/channels/whatsapp/format';
import { GraphApiClient } from '../../../lib/channels/whatsapp/graph-client';
import { GraphApiError } from '../../../lib/channels/whatsapp/graph-errors';
import { normalizeWhatsAppEnvelope } from '../../../lib/channels/whatsapp/normalize';
import { splitWhatsAppPayload } from '../../../lib/channels/whatsapp/split-payload';
import { WhatsAppStateStore } from '../../../lib/channels/whatsapp/state-store';
import { templateParameterText } from '../../../lib/channels/whatsapp/template';
import { WhatsAppChannel } from '../../../lib/channels/whatsapp/whatsapp-channel';
import type { Transaction } from '../../../lib/domain/transaction';
import { en } from '../../../lib/messages/en';
import type { DeliveryStatusEvent } from '../../../lib/processor/chat-event';
import { categoryButtons, transactionButtons } from '../../../lib/processor/keyboards';
import { createDynamoResilientCaller } from '../../../lib/resilience/dynamo-caller';
import { ManualClock } from '../../resilience/support';
import { createLocalTables, type LocalTables } from '../../store/local-tables';
import { recordingLogger, thrownBy } from '../telegram/support';

// DynamoDB Local deletes expired items by the real clock, so the injected clock starts at the real time.
const T0_MS = Date.now();
const HOUR_MS = 3_600_000;
const PHONE_NUMBER_ID = '200000000000002';
const WA_ID = '5511900000001';
const CHAT_ID = whatsAppChatId(PHONE_NUMBER_ID, WA_ID);
const TEMPLATES = { reply: 'financy_reply', language: 'en' };
const PRIVATE_TEXT = 'zebracorn brunch 48.15 at Quillfeather';

const TRANSACTION: Transaction = {
  userId: 'user-7',
  transactionId: '01JQ8Z6W3D7V5K9M2N4P6R8T0A',
  kind: 'expense',
  amountMinor: 4815,
  currency: 'BRL',
  date: '2026-06-05',
  description: 'zebracorn brunch',
  merchant: 'Quillfeather',
  category: 'Food & Dining',
  status: 'saved',
  confidence: 0.92,
  source: { channel: 'whatsapp', chatId: CHAT_ID, messageId: 'wamid.IN7' },
  createdAtEpochMs: T0_MS,
  updatedAtEpochMs: T0_MS,
};

let local: LocalTables;
let fake: FakeWhatsApp;

beforeAll(async () => {
  fake = await startFakeWhatsApp({ phoneNumberIds: [PHONE_NUMBER_ID] });
});

afterAll(async () => {
  await fake.close();
});

// Each test gets its own tables, so one test's breaker state cannot leak into the next.
beforeEach(async () => {
  local = await createLocalTables('whatsapp-channel');
  fake.reset();
});

afterEach(() => {
  local.destroy();
});

/** Builds a WhatsApp channel on the fake with the real breaker, buckets and state table. */
function channelUnderTest(graph: FakeWhatsApp = fake) {
  const clock = new ManualClock(T0_MS);
  const logger = recordingLogger();
  const resilience = createDynamoResilientCaller({
    client: local.client,
    tableName: local.tables.resilience,
    logger,
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
  });
  const state = new WhatsAppStateStore({
    client: local.client,
    tableName: local.whatsappStateTable,
    now: clock.now,
  });
  const client = new GraphApiClient({ accessToken: graph.accessToken, baseUrl: graph.url, timeoutMs: 2_000 });
  const channel = new WhatsAppChannel({
    client,
    resilience,
    budgetMs: () => 60_000,
    state,
    templates: TEMPLATES,
    now: clock.now,
    logger,
  });

  /** Opens the 24-hour window both in our state table and on the fake, as an inbound message does. */
  const userWrote = async (at = T0_MS, chatId = CHAT_ID) => {
    await channel.userActive(chatId, new Date(at));
    graph.userWrote(chatId.split(':')[1]!, at);
  };

  return { channel, clock, logger, resilience, state, userWrote };
}

function interactiveOf(message: FakeSentMessage) {
  return message.payload.interactive as {
    type: string;
    body: { text: string };
    action: { buttons?: { reply: { id: string } }[]; sections?: { rows: { id: string }[] }[] };
  };
}

function templateOf(message: FakeSentMessage) {
  return message.payload.template as {
    name: string;
    language: { code: string };
    components: { type: string; parameters: { type: string; text: string }[] }[];
  };
}

describe('WhatsAppChannel', () => {
  describe('inside the 24-hour window', () => {
    it('sends a reply without buttons as formatted text', async () => {
      const { channel, state, userWrote } = channelUnderTest();
      await userWrote();

      const sent = await channel.send(CHAT_ID, { text: en.deleted(TRANSACTION) });

      const [message, ...rest] = fake.sent();
      expect(rest).toEqual([]);
      expect(message).toMatchObject({
        id: sent.messageId,
        phoneNumberId: PHONE_NUMBER_ID,
        waId: WA_ID,
        type: 'text',
      });
      expect(message!.payload.text).toEqual({ body: '🗑️ Deleted: 48.15 BRL (zebracorn brunch)' });
      expect(await state.delivery(String(sent.messageId))).toMatchObject({ state: 'accepted', waId: WA_ID });
    });

    it('sends three buttons as reply buttons', async () => {
      const { channel, userWrote } = channelUnderTest();
      await userWrote();
      const confirmed = { ...TRANSACTION, status: 'confirmed' as const };

      await channel.send(CHAT_ID, { text: en.confirmed(confirmed), buttons: transactionButtons(confirmed) });

      const [message] = fake.sent();
      const interactive = interactiveOf(message!);
      expect(interactive.type).toBe('button');
      expect(interactive.body.text).toBe(htmlToWhatsApp(en.confirmed(confirmed)));
      expect(interactive.action.buttons!.map((button) => button.reply.id)).toEqual(
        transactionButtons(confirmed)
          .flat()
          .map((button) => button.action),
      );
    });

    it('sends four buttons as one list', async () => {
      const { channel, userWrote } = channelUnderTest();
      await userWrote();

      const sent = await channel.send(CHAT_ID, {
        text: en.proposal(TRANSACTION),
        buttons: transactionButtons(TRANSACTION),
      });

      const messages = fake.sent();
      expect(messages).toHaveLength(1);
      expect(messages[0]!.id).toBe(sent.messageId);
      expect(interactiveOf(messages[0]!).type).toBe('list');
      expect(interactiveOf(messages[0]!).action.sections![0]!.rows).toHaveLength(4);
    });

    it('splits the category picker into two lists and returns the last', async () => {
      const { channel, state, userWrote } = channelUnderTest();
      await userWrote();

      const sent = await channel.send(CHAT_ID, {
        text: en.chooseCategory(TRANSACTION),
        buttons: categoryButtons(TRANSACTION),
      });

      const messages = fake.sent();
      expect(messages.map((message) => interactiveOf(message).body.text.slice(0, 5))).toEqual([
        '(1/2)',
        '(2/2)',
      ]);
      expect(messages.flatMap((message) => interactiveOf(message).action.sections![0]!.rows)).toHaveLength(
        16,
      );
      expect(sent.messageId).toBe(messages[1]!.id);
      for (const message of messages) {
        expect(await state.delivery(message.id)).toMatchObject({ state: 'accepted' });
      }
    });

    it('splits a text over 4096 characters', async () => {
      const { channel, userWrote } = channelUnderTest();
      await userWrote();
      const lines = Array.from({ length: 400 }, (_, index) => `Line ${index} of the monthly report`);

      const sent = await channel.send(CHAT_ID, { text: lines.join('\n') });

      const bodies = fake.sent().map((message) => (message.payload.text as { body: string }).body);
      expect(bodies.length).toBeGreaterThan(1);
      expect(bodies.join('\n')).toBe(lines.join('\n'));
      expect(sent.messageId).toBe(fake.sent().at(-1)!.id);
    });

    it('sends a long text before the buttons', async () => {
      const { channel, userWrote } = channelUnderTest();
      await userWrote();
      const text = `<b>Report</b>\n${'A line of the monthly report.\n'.repeat(60)}`;

      await channel.send(CHAT_ID, { text, buttons: transactionButtons(TRANSACTION) });

      expect(fake.sent().map((message) => message.type)).toEqual(['text', 'interactive']);
      expect(interactiveOf(fake.sent()[1]!).body.text).toBe('Report');
    });
  });

  describe('outside the 24-hour window', () => {
    it('sends a template when our state shows the window closed', async () => {
      const { channel, logger, userWrote } = channelUnderTest();
      await userWrote(T0_MS - 25 * HOUR_MS);
      const reply = {
        text: `${en.saved(TRANSACTION)}\n${PRIVATE_TEXT}`,
        buttons: transactionButtons(TRANSACTION),
      };

      const sent = await channel.send(CHAT_ID, reply);

      const [message, ...rest] = fake.sent();
      expect(rest).toEqual([]);
      expect(message).toMatchObject({ id: sent.messageId, type: 'template' });
      expect(templateOf(message!)).toEqual({
        name: 'financy_reply',
        language: { code: 'en' },
        components: [
          { type: 'body', parameters: [{ type: 'text', text: templateParameterText(reply.text) }] },
        ],
      });
      const logged = logger.entries.filter((entry) => entry.level === 'info');
      expect(logged).toContainEqual({
        level: 'info',
        message: 'Sent a WhatsApp reply as a template, because the 24-hour window is closed',
        extra: {
          phoneNumberId: PHONE_NUMBER_ID,
          messageId: sent.messageId,
          template: 'financy_reply',
          reason: 'window-state',
        },
      });
    });

    it('sends a template to a user who never wrote', async () => {
      const { channel } = channelUnderTest();

      await channel.send(CHAT_ID, { text: en.help() });

      expect(fake.sent().map((message) => message.type)).toEqual(['template']);
    });

    it('switches to a template when Meta answers 131047', async () => {
      const { channel, logger } = channelUnderTest();
      // Our state has the window open, but Meta does not: the fake never saw the user write.
      await channel.userActive(CHAT_ID, new Date(T0_MS));

      const sent = await channel.send(CHAT_ID, {
        text: en.saved(TRANSACTION),
        buttons: transactionButtons(TRANSACTION),
      });

      const [message, ...rest] = fake.sent();
      expect(rest).toEqual([]);
      expect(message).toMatchObject({ id: sent.messageId, type: 'template' });
      expect(templateOf(message!).components[0]!.parameters[0]!.text).toBe(
        templateParameterText(en.saved(TRANSACTION)),
      );
      expect(logger.entries).toContainEqual(
        expect.objectContaining({ extra: expect.objectContaining({ reason: 'window-closed-error' }) }),
      );
    });

    it('logs ids only', async () => {
      const { channel, logger } = channelUnderTest();

      await channel.send(CHAT_ID, { text: PRIVATE_TEXT });

      const logs = JSON.stringify(logger.entries);
      expect(logs).not.toContain('zebracorn');
      expect(logs).not.toContain(WA_ID);
      expect(logs).not.toContain(fake.accessToken);
    });
  });

  describe('Graph API failures', () => {
    it('raises RecipientBlockedError for 131026', async () => {
      const { channel, userWrote } = channelUnderTest();
      await userWrote();
      fake.failNext({ code: 131026 });

      const error = await thrownBy(() => channel.send(CHAT_ID, { text: PRIVATE_TEXT }));

      expect(error).toBeInstanceOf(RecipientBlockedError);
      expect((error as RecipientBlockedError).chatId).toBe(CHAT_ID);
      expect((error as Error).cause).toMatchObject({ code: 131026, kind: 'undeliverable' });
    });

    it('raises RecipientBlockedError when the template cannot be delivered', async () => {
      const { channel } = channelUnderTest();
      fake.failNext({ code: 131026 });

      const error = await thrownBy(() => channel.send(CHAT_ID, { text: PRIVATE_TEXT }));

      expect(error).toBeInstanceOf(RecipientBlockedError);
    });

    it('delivers one message after a 130429 rate limit', async () => {
      const { channel, resilience, userWrote } = channelUnderTest();
      await userWrote();
      fake.failNext({ code: 130429, retryAfter: 2 });

      const sent = await channel.send(CHAT_ID, { text: PRIVATE_TEXT });

      expect(fake.sent()).toHaveLength(1);
      expect(fake.sent()[0]!.id).toBe(sent.messageId);
      expect(resilience.stats).toMatchObject({ attempts: 2, retries: 1 });
    });

    it('does not resend a message after a timeout', async () => {
      const { channel, resilience, userWrote } = channelUnderTest();
      await userWrote();
      fake.failNext({ network: 'timeout' });

      const error = await thrownBy(() => channel.send(CHAT_ID, { text: PRIVATE_TEXT }));

      expect(error).toMatchObject({ kind: 'transient' });
      expect(resilience.stats).toMatchObject({ attempts: 1, retries: 0, dependencyFailures: 1 });
    });

    it('counts a rejected token as a dependency failure with a clear message', async () => {
      const { channel, resilience, userWrote } = channelUnderTest();
      await userWrote();
      fake.failNext({ code: 190, status: 401 });

      const error = await thrownBy(() => channel.send(CHAT_ID, { text: PRIVATE_TEXT }));

      expect(error).toBeInstanceOf(GraphApiError);
      expect(error).toMatchObject({ kind: 'auth' });
      expect((error as Error).message).toMatch(/access token/);
      expect((error as Error).message).not.toContain(fake.accessToken);
      expect(resilience.stats.dependencyFailures).toBe(1);
    });
  });

  describe('edit', () => {
    it('sends the new content as a new message', async () => {
      const { channel, userWrote } = channelUnderTest();
      await userWrote();
      const first = await channel.send(CHAT_ID, {
        text: en.saved(TRANSACTION),
        buttons: transactionButtons(TRANSACTION),
      });

      await channel.edit(
        { chatId: CHAT_ID, messageId: first.messageId },
        { text: en.deleted(TRANSACTION), buttons: [] },
      );

      expect(fake.sent().map((message) => message.type)).toEqual(['interactive', 'text']);
    });

    it('rejects an inline target', async () => {
      const { channel } = channelUnderTest();

      const error = await thrownBy(() => channel.edit({ inlineMessageId: 'inline-1' }, { text: 'x' }));

      expect(error).toBeInstanceOf(WhatsAppInlineMessageError);
      expect(fake.sent()).toEqual([]);
    });
  });

  describe('acknowledge', () => {
    const REPLY_ID = 'wamid.HBgNNTUxMTkwMDAwMDAwMRUCABIYFjNFQjBDMEE3';
    const ACTION_ID = whatsAppActionId(PHONE_NUMBER_ID, WA_ID, REPLY_ID);

    it('marks the button reply read', async () => {
      const { channel, userWrote } = channelUnderTest();
      await userWrote();

      await channel.acknowledge(ACTION_ID);

      expect(fake.reads()).toEqual([
        { phoneNumberId: PHONE_NUMBER_ID, messageId: REPLY_ID, at: expect.any(Number) },
      ]);
      expect(fake.sent()).toEqual([]);
    });

    it('sends a notice as a text that quotes the reply', async () => {
      const { channel, userWrote } = channelUnderTest();
      await userWrote();

      await channel.acknowledge(ACTION_ID, en.alreadyConfirmed());

      const [message] = fake.sent();
      expect(message!.waId).toBe(WA_ID);
      expect(message!.payload).toMatchObject({
        type: 'text',
        text: { body: en.alreadyConfirmed() },
        context: { message_id: REPLY_ID },
      });
    });

    it('sends a notice with HTML characters as written', async () => {
      const { channel, userWrote } = channelUnderTest();
      await userWrote();

      await channel.acknowledge(ACTION_ID, 'Bills & Utilities');

      expect(fake.sent()[0]!.payload.text).toEqual({ body: 'Bills & Utilities' });
    });

    it('ignores a failure to mark read', async () => {
      const { channel, logger, userWrote } = channelUnderTest();
      await userWrote();
      fake.failNext({ code: 131000, status: 500, count: 3 });

      await channel.acknowledge(ACTION_ID, en.transactionGone());

      expect(fake.reads()).toEqual([]);
      expect(fake.sent().map((message) => message.payload.text)).toEqual([{ body: en.transactionGone() }]);
      expect(logger.entries).toContainEqual(
        expect.objectContaining({
          level: 'warn',
          message: 'Could not mark a WhatsApp button reply read; continuing without it',
        }),
      );
    });

    it('sends a notice to the user the action id names, from an instance that saw no event of theirs', async () => {
      await channelUnderTest().userWrote();
      const { channel } = channelUnderTest();

      await channel.acknowledge(ACTION_ID, en.alreadyConfirmed());

      expect(fake.reads()).toHaveLength(1);
      expect(fake.sent().map((message) => [message.waId, message.payload.type])).toEqual([[WA_ID, 'text']]);
    });

    it('rejects an action id of another channel', async () => {
      const { channel } = channelUnderTest();

      expect(await thrownBy(() => channel.acknowledge('4382123938472'))).toBeInstanceOf(
        WhatsAppActionIdError,
      );
    });
  });

  describe('downloadMedia', () => {
    it('downloads a file the user sent', async () => {
      const { channel } = channelUnderTest();
      const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
      const media = fake.addMedia({ bytes, mimeType: 'image/jpeg' });

      const file = await channel.downloadMedia({ id: media.id }, 1_024);

      expect(Buffer.from(file.bytes)).toEqual(Buffer.from(bytes));
      expect(file.mimeType).toBe('image/jpeg');
    });
  });
});

describe('WhatsApp delivery statuses', () => {
  let receiver: Server;
  const posted: string[] = [];

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        posted.push(Buffer.concat(chunks).toString('utf8'));
        response.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('ends at read when the statuses arrive in reverse order', async () => {
    const port = (receiver.address() as AddressInfo).port;
    const reporting = await startFakeWhatsApp({
      phoneNumberIds: [PHONE_NUMBER_ID],
      statusWebhook: { url: `http://127.0.0.1:${port}/webhooks/whatsapp`, appSecret: 'test-app-secret' },
    });
    try {
      const { channel, state, userWrote } = channelUnderTest(reporting);
      await userWrote();
      const sent = await channel.send(CHAT_ID, { text: PRIVATE_TEXT });
      await reporting.flushWebhooks();
      const events = posted
        .flatMap(
          (body) =>
            splitWhatsAppPayload(JSON.parse(body) as { entry: unknown[] }, {
              phoneNumberIds: [PHONE_NUMBER_ID],
              receivedAtEpochMs: T0_MS,
            }).envelopes,
        )
        .map(normalizeWhatsAppEnvelope)
        .filter((event): event is DeliveryStatusEvent => event.type === 'delivery-status');
      const tracker = new WhatsAppDeliveryTracker(state);

      const outcomes = [];
      for (const event of [...events].reverse()) {
        outcomes.push([event.status, await tracker.record(event)]);
      }

      expect(events.map((event) => event.messageId)).toEqual([
        sent.messageId,
        sent.messageId,
        sent.messageId,
      ]);
      expect(outcomes).toEqual([
        ['read', 'updated'],
        ['delivered', 'unchanged'],
        ['sent', 'unchanged'],
      ]);
      expect(await state.delivery(String(sent.messageId))).toMatchObject({ state: 'read' });
    } finally {
      await reporting.close();
    }
  });
});
