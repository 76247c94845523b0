import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { WhatsAppDeliveryTracker } from '../../../lib/channels/whatsapp/delivery-tracker';
import { normalizeWhatsAppEnvelope } from '../../../lib/channels/whatsapp/normalize';
import { splitWhatsAppPayload } from '../../../lib/channels/whatsapp/split-payload';
import {
  CUSTOMER_SERVICE_WINDOW_MS,
  type WhatsAppReportedStatus,
  WhatsAppStateStore,
} from '../../../lib/channels/whatsapp/state-store';
import type { DeliveryStatusEvent } from '../../../lib/processor/chat-event';
import { StoreError } from '../../../lib/store/errors';
import { createLocalTables, type LocalTables } from '../../store/local-tables';

// DynamoDB Local deletes expired items by the real clock, so the injected clock starts at the real time.
// Items then expire only for the store's clock, like items on AWS that TTL has not deleted yet.
const T0_MS = Date.now();
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const PHONE_NUMBER_ID = '200000000000002';
const CASES = path.resolve(__dirname, '../../../../shared/cases/inputs');

let local: LocalTables;
let counter = 0;

function storeAt(nowMs: number): WhatsAppStateStore {
  return new WhatsAppStateStore({
    client: local.client,
    tableName: local.whatsappStateTable,
    now: () => nowMs,
  });
}

/** Returns a wa_id no other test uses. */
function freshWaId(): string {
  counter += 1;
  return `55119${String(counter).padStart(8, '0')}`;
}

/** Returns a wamid no other test uses. */
function freshMessageId(): string {
  counter += 1;
  return `wamid.TEST${String(counter).padStart(20, '0')}`;
}

async function rawItem(stateKey: string): Promise<Record<string, unknown> | undefined> {
  const result = await local.client.send(
    new GetCommand({ TableName: local.whatsappStateTable, Key: { stateKey }, ConsistentRead: true }),
  );
  return result.Item;
}

/** Records a message sent at T0 and returns its id. */
async function sentMessage(store = storeAt(T0_MS), waId = freshWaId()): Promise<string> {
  const messageId = freshMessageId();
  await store.recordSent(messageId, { phoneNumberId: PHONE_NUMBER_ID, waId, sentAt: new Date(T0_MS) });
  return messageId;
}

beforeAll(async () => {
  local = await createLocalTables('whatsapp-state');
});

afterAll(() => {
  local?.destroy();
});

describe('WhatsAppStateStore', () => {
  describe('customer-service window', () => {
    it('opens for 24 hours after an inbound message', async () => {
      const store = storeAt(T0_MS);
      const waId = freshWaId();

      const outcome = await store.recordInbound(PHONE_NUMBER_ID, waId, new Date(T0_MS));

      expect(outcome).toBe('updated');
      expect(await store.windowOpenUntil(PHONE_NUMBER_ID, waId)).toEqual(new Date(T0_MS + DAY_MS));
    });

    it('has no window for a user who never wrote', async () => {
      expect(await storeAt(T0_MS).windowOpenUntil(PHONE_NUMBER_ID, freshWaId())).toBeUndefined();
    });

    it('keeps the latest inbound time', async () => {
      const store = storeAt(T0_MS);
      const waId = freshWaId();
      await store.recordInbound(PHONE_NUMBER_ID, waId, new Date(T0_MS));

      const older = await store.recordInbound(PHONE_NUMBER_ID, waId, new Date(T0_MS - HOUR_MS));
      const same = await store.recordInbound(PHONE_NUMBER_ID, waId, new Date(T0_MS));

      expect([older, same]).toEqual(['unchanged', 'unchanged']);
      expect(await store.windowOpenUntil(PHONE_NUMBER_ID, waId)).toEqual(new Date(T0_MS + DAY_MS));
    });

    it('moves the window with a newer message', async () => {
      const store = storeAt(T0_MS);
      const waId = freshWaId();
      await store.recordInbound(PHONE_NUMBER_ID, waId, new Date(T0_MS - 2 * HOUR_MS));

      const outcome = await store.recordInbound(PHONE_NUMBER_ID, waId, new Date(T0_MS));

      expect(outcome).toBe('updated');
      expect(await store.windowOpenUntil(PHONE_NUMBER_ID, waId)).toEqual(new Date(T0_MS + DAY_MS));
    });

    it('keeps windows per business number', async () => {
      const store = storeAt(T0_MS);
      const waId = freshWaId();
      await store.recordInbound(PHONE_NUMBER_ID, waId, new Date(T0_MS));

      expect(await store.windowOpenUntil('200000000000009', waId)).toBeUndefined();
    });

    it('expires the item 25 hours after the latest message', async () => {
      const waId = freshWaId();
      await storeAt(T0_MS).recordInbound(PHONE_NUMBER_ID, waId, new Date(T0_MS));

      const item = await rawItem(`window#${PHONE_NUMBER_ID}#${waId}`);

      expect(item?.expiresAtEpochSeconds).toBe(Math.ceil(T0_MS / 1_000) + 25 * 3_600);
    });

    it('treats an expired item as no window', async () => {
      const waId = freshWaId();
      await storeAt(T0_MS).recordInbound(PHONE_NUMBER_ID, waId, new Date(T0_MS));

      const later = storeAt(T0_MS + 26 * HOUR_MS);

      expect(await later.windowOpenUntil(PHONE_NUMBER_ID, waId)).toBeUndefined();
      expect(CUSTOMER_SERVICE_WINDOW_MS).toBe(DAY_MS);
    });
  });

  describe('delivery states', () => {
    it('records a sent message as accepted for 30 days', async () => {
      const store = storeAt(T0_MS);
      const waId = freshWaId();
      const messageId = await sentMessage(store, waId);

      expect(await store.delivery(messageId)).toEqual({
        messageId,
        phoneNumberId: PHONE_NUMBER_ID,
        waId,
        sentAt: new Date(T0_MS),
        state: 'accepted',
        stateAt: new Date(T0_MS),
        errors: [],
      });
      expect((await rawItem(`message#${messageId}`))?.expiresAtEpochSeconds).toBe(
        Math.ceil(T0_MS / 1_000) + 30 * 86_400,
      );
    });

    it('advances through sent, delivered and read', async () => {
      const store = storeAt(T0_MS);
      const messageId = await sentMessage(store);

      const outcomes = [];
      for (const [index, status] of (['sent', 'delivered', 'read'] as const).entries()) {
        outcomes.push(await store.recordStatus(messageId, status, new Date(T0_MS + index * 1_000)));
      }

      expect(outcomes).toEqual(['updated', 'updated', 'updated']);
      expect(await store.delivery(messageId)).toMatchObject({
        state: 'read',
        stateAt: new Date(T0_MS + 2_000),
      });
    });

    it('keeps read when delivered arrives after it', async () => {
      const store = storeAt(T0_MS);
      const messageId = await sentMessage(store);
      await store.recordStatus(messageId, 'read', new Date(T0_MS + 2_000));

      const delivered = await store.recordStatus(messageId, 'delivered', new Date(T0_MS + 1_000));
      const sent = await store.recordStatus(messageId, 'sent', new Date(T0_MS));

      expect([delivered, sent]).toEqual(['unchanged', 'unchanged']);
      expect(await store.delivery(messageId)).toMatchObject({
        state: 'read',
        stateAt: new Date(T0_MS + 2_000),
      });
    });

    it('reports a repeated status as unchanged', async () => {
      const store = storeAt(T0_MS);
      const messageId = await sentMessage(store);
      await store.recordStatus(messageId, 'delivered', new Date(T0_MS));

      expect(await store.recordStatus(messageId, 'delivered', new Date(T0_MS))).toBe('unchanged');
    });

    it('ends at read whatever order concurrent statuses take', async () => {
      const store = storeAt(T0_MS);
      const messageId = await sentMessage(store);
      const statuses: WhatsAppReportedStatus[] = ['read', 'sent', 'delivered', 'sent', 'read', 'delivered'];

      const outcomes = await Promise.all(
        statuses.map((status) => store.recordStatus(messageId, status, new Date(T0_MS))),
      );

      expect(outcomes).toContain('updated');
      expect(await store.delivery(messageId)).toMatchObject({ state: 'read' });
    });

    it('stores the errors of a failed delivery', async () => {
      const store = storeAt(T0_MS);
      const messageId = await sentMessage(store);
      await store.recordStatus(messageId, 'sent', new Date(T0_MS));

      const outcome = await store.recordStatus(messageId, 'failed', new Date(T0_MS + 1_000), [
        { code: 131026, title: 'Message undeliverable' },
      ]);

      expect(outcome).toBe('updated');
      expect(await store.delivery(messageId)).toMatchObject({
        state: 'failed',
        errors: [{ code: 131026, title: 'Message undeliverable' }],
      });
    });

    it('keeps failed as the last state', async () => {
      const store = storeAt(T0_MS);
      const messageId = await sentMessage(store);
      await store.recordStatus(messageId, 'failed', new Date(T0_MS), [
        { code: 131026, title: 'Undeliverable' },
      ]);

      const outcomes = await Promise.all([
        store.recordStatus(messageId, 'read', new Date(T0_MS + 1_000)),
        store.recordStatus(messageId, 'failed', new Date(T0_MS + 2_000), [{ code: 1, title: 'Other' }]),
      ]);

      expect(outcomes).toEqual(['unchanged', 'unchanged']);
      expect(await store.delivery(messageId)).toMatchObject({
        state: 'failed',
        errors: [{ code: 131026, title: 'Undeliverable' }],
      });
    });

    it('ignores failed after the message was delivered', async () => {
      const store = storeAt(T0_MS);
      const messageId = await sentMessage(store);
      await store.recordStatus(messageId, 'delivered', new Date(T0_MS));

      expect(await store.recordStatus(messageId, 'failed', new Date(T0_MS + 1_000))).toBe('unchanged');
      expect(await store.delivery(messageId)).toMatchObject({ state: 'delivered', errors: [] });
    });

    it('keeps the first record when a message is recorded again', async () => {
      const store = storeAt(T0_MS);
      const messageId = await sentMessage(store);
      await store.recordStatus(messageId, 'delivered', new Date(T0_MS));

      await store.recordSent(messageId, {
        phoneNumberId: PHONE_NUMBER_ID,
        waId: freshWaId(),
        sentAt: new Date(T0_MS + 5_000),
      });

      expect(await store.delivery(messageId)).toMatchObject({ state: 'delivered', sentAt: new Date(T0_MS) });
    });

    it('reports an unknown message without creating it', async () => {
      const store = storeAt(T0_MS);

      const outcome = await store.recordStatus('wamid.UNKNOWN_TO_OUR_DB', 'sent', new Date(T0_MS));

      expect(outcome).toBe('unknown');
      expect(await rawItem('message#wamid.UNKNOWN_TO_OUR_DB')).toBeUndefined();
    });

    it('reports a message whose record expired as unknown', async () => {
      const messageId = await sentMessage();

      const later = storeAt(T0_MS + 31 * DAY_MS);

      expect(await later.recordStatus(messageId, 'read', new Date(T0_MS + 31 * DAY_MS))).toBe('unknown');
      expect(await later.delivery(messageId)).toBeUndefined();
    });
  });

  describe('failures', () => {
    it('wraps DynamoDB errors in StoreError naming the table', async () => {
      const store = new WhatsAppStateStore({ client: local.client, tableName: 'no-such-table' });

      await expect(store.windowOpenUntil(PHONE_NUMBER_ID, freshWaId())).rejects.toThrow(StoreError);
      await expect(store.recordStatus(freshMessageId(), 'sent', new Date())).rejects.toThrow(/no-such-table/);
    });
  });
});

describe('WhatsAppDeliveryTracker', () => {
  /** Delivery events of a recorded webhook POST, as the webhook and the processor produce them. */
  function statusEvents(caseName: string): DeliveryStatusEvent[] {
    const payload = JSON.parse(readFileSync(path.join(CASES, caseName), 'utf8')) as { entry: unknown[] };
    const split = splitWhatsAppPayload(payload, {
      phoneNumberIds: [PHONE_NUMBER_ID, '200000000000009'],
      receivedAtEpochMs: T0_MS,
    });

    return split.envelopes
      .map(normalizeWhatsAppEnvelope)
      .filter((event): event is DeliveryStatusEvent => event.type === 'delivery-status');
  }

  it('applies the known status of a batched POST and ignores the unknown one', async () => {
    const store = storeAt(T0_MS);
    const tracker = new WhatsAppDeliveryTracker(store);
    await store.recordSent('wamid.OUT0000000000000000020', {
      phoneNumberId: PHONE_NUMBER_ID,
      waId: '5511900000001',
      sentAt: new Date(T0_MS),
    });
    const events = statusEvents('WA-07.json');

    const outcomes = [];
    for (const event of events) {
      outcomes.push(await tracker.record(event));
    }

    expect(events.map((event) => event.messageId)).toEqual([
      'wamid.OUT0000000000000000020',
      'wamid.UNKNOWN_TO_OUR_DB',
    ]);
    expect(outcomes).toEqual(['updated', 'unknown']);
    expect(await store.delivery('wamid.OUT0000000000000000020')).toMatchObject({ state: 'read' });
  });

  it('applies a status-only POST', async () => {
    const store = storeAt(T0_MS);
    await store.recordSent('wamid.OUT0000000000000000001', {
      phoneNumberId: PHONE_NUMBER_ID,
      waId: '5511900000001',
      sentAt: new Date(T0_MS),
    });

    const [event] = statusEvents('WA-03.json');

    expect(await new WhatsAppDeliveryTracker(store).record(event!)).toBe('updated');
    expect(await store.delivery('wamid.OUT0000000000000000001')).toMatchObject({ state: 'delivered' });
  });

  it('reports a status of another channel as unknown', async () => {
    const store = storeAt(T0_MS);
    const messageId = await sentMessage(store);
    const event: DeliveryStatusEvent = {
      type: 'delivery-status',
      eventKey: `telegram:status:${messageId}`,
      channel: 'telegram',
      messageId,
      status: 'read',
      at: new Date(T0_MS),
      errors: [],
    };

    expect(await new WhatsAppDeliveryTracker(store).record(event)).toBe('unknown');
    expect(await store.delivery(messageId)).toMatchObject({ state: 'accepted' });
  });
});
