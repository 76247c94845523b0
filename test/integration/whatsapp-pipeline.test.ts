import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FakeSentMessage } from '../../infra/local/fake-whatsapp/types';
import { whatsAppMessagePayload } from '../../infra/local/whatsapp-payload';
import type { WhatsAppMessage, WhatsAppWebhookPayload } from '../../lib/channels/whatsapp/payload';
import { WhatsAppStateStore } from '../../lib/channels/whatsapp/state-store';
import { buttons } from '../../lib/messages/en';
import { createDocumentClient } from '../../lib/store/clients';
import { startTestStack, type TestStack, type TestWhatsApp } from '../support/test-stack';

const CASES = path.resolve(__dirname, '..', '..', '..', 'shared', 'cases', 'inputs');
const PHONE_NUMBER_ID = '200000000000002';

/** Reads a shared WhatsApp webhook case with every `timestamp` moved to `atSeconds`, as if Meta had just sent it. */
function caseAt(file: string, atSeconds: number): WhatsAppWebhookPayload {
  const text = readFileSync(path.join(CASES, file), 'utf8');

  return JSON.parse(
    text.replace(/"timestamp": "\d+"/g, `"timestamp": "${atSeconds}"`),
  ) as WhatsAppWebhookPayload;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1_000);
}

/** Builds a webhook payload with one message from `waId` to the test business number. */
function payloadOf(waId: string, message: Partial<WhatsAppMessage>): WhatsAppWebhookPayload {
  return whatsAppMessagePayload(
    { phoneNumberId: PHONE_NUMBER_ID, user: { waId, name: 'Ana Teste' } },
    { type: 'text', ...message },
  ) as unknown as WhatsAppWebhookPayload;
}

function textPayload(waId: string, body: string): WhatsAppWebhookPayload {
  return payloadOf(waId, { type: 'text', text: { body } });
}

function sentTo(whatsapp: TestWhatsApp, waId: string): FakeSentMessage[] {
  return whatsapp.fake.sent().filter((message) => message.waId === waId);
}

/** Returns the rows and buttons of an interactive message as [title, id] pairs. */
function choicesOf(message: FakeSentMessage): Array<[string, string]> {
  const interactive = message.payload.interactive as
    | {
        action: {
          buttons?: Array<{ reply: { id: string; title: string } }>;
          sections?: Array<{ rows: Array<{ id: string; title: string }> }>;
        };
      }
    | undefined;
  const replies = (interactive?.action.buttons ?? []).map(
    ({ reply }) => [reply.title, reply.id] as [string, string],
  );
  const rows = (interactive?.action.sections ?? []).flatMap((section) =>
    section.rows.map((row) => [row.title, row.id] as [string, string]),
  );

  return [...replies, ...rows];
}

/** WhatsApp messages take the Telegram path: webhook, FIFO queue, processor, Graph API replies. */
describe('WhatsApp pipeline on the local stack', () => {
  let harness: TestStack;
  let whatsapp: TestWhatsApp;

  beforeAll(async () => {
    harness = await startTestStack({ whatsapp: true });
    whatsapp = harness.whatsapp!;
  });

  afterAll(async () => {
    await harness.stop();
  });

  afterEach(async () => {
    expect(await harness.stack.deadLetterCount()).toBe(0);
  });

  it('books a multi-entry POST once', async () => {
    const payload = caseAt('WA-07.json', nowSeconds());

    expect((await whatsapp.post(payload)).status).toBe(200);
    expect((await whatsapp.post(payload)).status).toBe(200);
    await harness.stack.settle();

    const booked = (await harness.transactions())
      .filter((transaction) => transaction.source.channel === 'whatsapp')
      .map((transaction) => [transaction.source.messageId, transaction.amountMinor, transaction.currency])
      .sort();
    expect(booked).toEqual([
      ['wamid.IN0000000000000000071', 3250, 'BRL'],
      ['wamid.IN0000000000000000072', 12000, 'BRL'],
      ['wamid.IN0000000000000000073', 840, 'EUR'],
    ]);
    const replies = whatsapp.fake.sent().map((message) => [message.phoneNumberId, message.waId]);
    expect(new Set(replies.map((reply) => reply.join(':')))).toEqual(
      new Set([
        '200000000000002:5511900000001',
        '200000000000002:5511900000003',
        '200000000000009:351910000001',
      ]),
    );
    expect(replies).toHaveLength(3);
  });

  it('deduplicates a wamid sent twice', async () => {
    const waId = '5511900000101';
    const payload = textPayload(waId, 'taxi 27,90');

    const statuses = await Promise.all([whatsapp.post(payload), whatsapp.post(payload)]);
    await harness.stack.settle();

    expect(statuses.map((response) => response.status)).toEqual([200, 200]);
    const messageId = payload.entry[0]!.changes[0]!.value.messages![0]!.id;
    const booked = (await harness.transactions()).filter(
      (transaction) => transaction.source.messageId === messageId,
    );
    expect(booked).toHaveLength(1);
    expect(booked[0]).toMatchObject({ amountMinor: 2790, currency: 'BRL' });
    expect(sentTo(whatsapp, waId)).toHaveLength(1);
  });

  it('replies by template after 24 hours', async () => {
    const waId = '5511900000102';
    const lateDelivery = payloadOf(waId, {
      type: 'text',
      text: { body: 'farmácia 15,20' },
      timestamp: String(nowSeconds() - 25 * 3_600),
    });

    expect((await whatsapp.post(lateDelivery)).status).toBe(200);
    await harness.stack.settle();

    const [reply, ...others] = sentTo(whatsapp, waId);
    expect(others).toEqual([]);
    expect(reply!.type).toBe('template');
    expect(reply!.payload.template).toMatchObject({ name: 'financy_reply', language: { code: 'en' } });
    const booked = (await harness.transactions()).filter((transaction) =>
      transaction.source.chatId.endsWith(waId),
    );
    expect(booked).toHaveLength(1);
  });

  it('acts on a chosen action row', async () => {
    const waId = '5511900000103';
    expect((await whatsapp.post(textPayload(waId, 'lunch at Subway 32,50'))).status).toBe(200);
    await harness.stack.settle();
    const [card] = sentTo(whatsapp, waId);
    expect(card!.payload.type).toBe('interactive');
    const choices = choicesOf(card!);
    expect(choices.map(([title]) => title)).toEqual([
      buttons.confirm,
      buttons.edit,
      buttons.delete,
      buttons.changeCategory,
    ]);

    const deleteId = choices.find(([title]) => title === buttons.delete)![1];
    const press = payloadOf(waId, {
      type: 'interactive',
      context: { from: '15550000000', id: card!.id },
      interactive: { type: 'list_reply', list_reply: { id: deleteId, title: buttons.delete } },
    });
    expect((await whatsapp.post(press)).status).toBe(200);
    await harness.stack.settle();

    const remaining = (await harness.transactions()).filter((transaction) =>
      transaction.source.chatId.endsWith(waId),
    );
    expect(remaining).toEqual([]);
    const pressId = press.entry[0]!.changes[0]!.value.messages![0]!.id;
    expect(whatsapp.fake.reads()).toContainEqual(expect.objectContaining({ messageId: pressId }));
    expect(sentTo(whatsapp, waId).length).toBeGreaterThan(1);
  });

  it('answers unreadable messages only once', async () => {
    const payload = caseAt('WA-05.json', nowSeconds());

    expect((await whatsapp.post(payload)).status).toBe(200);
    expect((await whatsapp.post(payload)).status).toBe(200);
    await harness.stack.settle();

    const replies = sentTo(whatsapp, '5215500000001');
    expect(replies).toHaveLength(2);
    expect(replies.map((reply) => (reply.payload.text as { body: string }).body)).toEqual([
      expect.stringContaining('that kind of message'),
      expect.stringContaining('that kind of message'),
    ]);
  });

  it('keeps the latest out-of-order status', async () => {
    const waId = '5511900000104';
    expect((await whatsapp.post(textPayload(waId, 'coffee 9,50'))).status).toBe(200);
    await harness.stack.settle();
    const [reply] = sentTo(whatsapp, waId);

    const status = (value: string, at: number) => ({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '100000000000001',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550000000', phone_number_id: PHONE_NUMBER_ID },
                contacts: [{ wa_id: waId }],
                statuses: [{ id: reply!.id, status: value, timestamp: String(at), recipient_id: waId }],
              },
            },
          ],
        },
      ],
    });
    const at = nowSeconds();
    for (const payload of [status('read', at + 2), status('sent', at), status('delivered', at + 1)]) {
      expect((await whatsapp.post(payload)).status).toBe(200);
    }
    await harness.stack.settle();

    const store = new WhatsAppStateStore({ client: createDocumentClient(), tableName: whatsapp.stateTable });
    expect(await store.delivery(reply!.id)).toMatchObject({ state: 'read' });
    expect(sentTo(whatsapp, waId)).toHaveLength(1);
  });

  it('echoes the subscription challenge', async () => {
    const url = new URL(harness.stack.whatsappWebhookUrl!);
    url.search = new URLSearchParams({
      'hub.mode': 'subscribe',
      'hub.verify_token': whatsapp.verifyToken,
      'hub.challenge': '1158201444',
    }).toString();

    const response = await fetch(url);

    expect(response.status).toBe(200);
    expect(await response.text()).toBe('1158201444');
  });
});
