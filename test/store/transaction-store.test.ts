import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Transaction } from '../../lib/domain/transaction';
import { DynamoTransactionStore, sourceRef } from '../../lib/store/transaction-store';
import { createLocalTables, type LocalTables } from './local-tables';

const NOW_MS = 1_717_400_000_000;

let local: LocalTables;
let counter = 0;

function freshUserId(): string {
  counter += 1;
  return `user-${counter}`;
}

function transaction(userId: string, overrides: Partial<Transaction> = {}): Transaction {
  counter += 1;

  return {
    userId,
    transactionId: `t${counter}`,
    kind: 'expense',
    amountMinor: 1250,
    currency: 'EUR',
    date: '2024-06-03',
    merchant: 'Subway',
    description: 'lunch',
    category: 'Food & Dining',
    status: 'saved',
    confidence: 0.9,
    source: { channel: 'telegram', chatId: '11110001', messageId: counter },
    createdAtEpochMs: NOW_MS,
    updatedAtEpochMs: NOW_MS,
    ...overrides,
  };
}

function transactionStore(now = () => NOW_MS): DynamoTransactionStore {
  return new DynamoTransactionStore({ client: local.client, tableName: local.tables.transactions, now });
}

function ids(transactions: Transaction[]): string[] {
  return transactions.map((entry) => entry.transactionId).sort();
}

/**
 * Wraps the document client to count Query calls and, with `limit`, to cap the items per page so
 * pagination shows with a few small items.
 */
function countingClient(limit?: number): { client: DynamoDBDocumentClient; queries: () => number } {
  let count = 0;
  const client = {
    send: (command: QueryCommand) => {
      if (command instanceof QueryCommand) {
        count += 1;
        if (limit !== undefined) {
          command.input.Limit = limit;
        }
      }
      return local.client.send(command);
    },
  } as unknown as DynamoDBDocumentClient;

  return { client, queries: () => count };
}

beforeAll(async () => {
  local = await createLocalTables('transactions');
});

afterAll(() => {
  local?.destroy();
});

describe('DynamoTransactionStore', () => {
  describe('create', () => {
    it('reports new transaction created', async () => {
      const result = await transactionStore().create(transaction(freshUserId()));

      expect(result.created).toBe(true);
    });

    it('reads back what it wrote', async () => {
      const store = transactionStore();
      const written = transaction(freshUserId(), { original: { amount: '19.99', currency: 'USD' } });
      await store.create(written);

      expect(await store.get(written.userId, written.transactionId)).toEqual(written);
    });

    it('stores index keys', async () => {
      const written = transaction(freshUserId(), { date: '2024-06-30' });
      await transactionStore().create(written);

      const raw = await local.client.send(
        new GetCommand({
          TableName: local.tables.transactions,
          Key: { userId: written.userId, transactionId: written.transactionId },
        }),
      );

      expect(raw.Item?.dateKey).toBe(`2024-06-30#${written.transactionId}`);
      expect(raw.Item?.sourceRef).toBe(`telegram:11110001:${written.source.messageId}`);
    });

    it('omits undefined optional fields', async () => {
      const store = transactionStore();
      const written = transaction(freshUserId(), { merchant: undefined, category: undefined });
      await store.create(written);

      const read = await store.get(written.userId, written.transactionId);

      expect(Object.keys(read ?? {})).not.toContain('merchant');
    });

    it('reports second create not created', async () => {
      const store = transactionStore();
      const first = transaction(freshUserId());
      await store.create(first);

      const second = await store.create({ ...first, amountMinor: 9999, description: 'retry' });

      expect(second.created).toBe(false);
    });

    it('returns first item on second create', async () => {
      const store = transactionStore();
      const first = transaction(freshUserId());
      await store.create(first);

      const second = await store.create({ ...first, amountMinor: 9999, description: 'retry' });

      expect(second.transaction).toEqual(first);
    });

    it('keeps first item stored', async () => {
      const store = transactionStore();
      const first = transaction(freshUserId());
      await store.create(first);
      await store.create({ ...first, amountMinor: 9999 });

      expect((await store.get(first.userId, first.transactionId))?.amountMinor).toBe(1250);
    });

    it('creates once under concurrency', async () => {
      const store = transactionStore();
      const written = transaction(freshUserId());

      const results = await Promise.all(Array.from({ length: 10 }, () => store.create(written)));

      expect(results.filter((result) => result.created)).toHaveLength(1);
    });

    it('allows same id for other user', async () => {
      const store = transactionStore();
      const first = transaction(freshUserId());
      await store.create(first);

      const other = await store.create({ ...first, userId: freshUserId() });

      expect(other.created).toBe(true);
    });
  });

  describe('get', () => {
    it('returns undefined when absent', async () => {
      expect(await transactionStore().get(freshUserId(), 'tMissing')).toBeUndefined();
    });

    it('hides index keys', async () => {
      const store = transactionStore();
      const written = transaction(freshUserId());
      await store.create(written);

      const read = await store.get(written.userId, written.transactionId);

      expect(Object.keys(read ?? {}).filter((key) => key === 'dateKey' || key === 'sourceRef')).toEqual([]);
    });
  });

  describe('findBySource', () => {
    it('finds transaction by message', async () => {
      const store = transactionStore();
      const written = transaction(freshUserId(), {
        source: { channel: 'telegram', chatId: '-100777', messageId: 41 },
      });
      await store.create(written);

      const found = await store.findBySource({ channel: 'telegram', chatId: '-100777', messageId: 41 });

      expect(found).toEqual(written);
    });

    it('returns undefined for other message', async () => {
      const store = transactionStore();
      await store.create(
        transaction(freshUserId(), { source: { channel: 'telegram', chatId: '-100778', messageId: 41 } }),
      );

      const found = await store.findBySource({ channel: 'telegram', chatId: '-100778', messageId: 42 });

      expect(found).toBeUndefined();
    });

    it('tells chats apart', async () => {
      const store = transactionStore();
      await store.create(
        transaction(freshUserId(), { source: { channel: 'telegram', chatId: '-100779', messageId: 5 } }),
      );

      const found = await store.findBySource({ channel: 'telegram', chatId: '-1007790', messageId: 5 });

      expect(found).toBeUndefined();
    });

    it('builds source ref', () => {
      expect(sourceRef({ channel: 'telegram', chatId: '11110001', messageId: 41 })).toBe(
        'telegram:11110001:41',
      );
    });
  });

  describe('update', () => {
    it('applies changes', async () => {
      const store = transactionStore();
      const written = transaction(freshUserId());
      await store.create(written);

      const updated = await store.update(written.userId, written.transactionId, {
        amountMinor: 1520,
        category: 'Transportation',
        status: 'confirmed',
      });

      expect(updated).toEqual({
        ...written,
        amountMinor: 1520,
        category: 'Transportation',
        status: 'confirmed',
      });
    });

    it('stamps update time', async () => {
      const written = transaction(freshUserId());
      await transactionStore().create(written);

      const updated = await transactionStore(() => NOW_MS + 60_000).update(
        written.userId,
        written.transactionId,
        {
          description: 'dinner',
        },
      );

      expect(updated?.updatedAtEpochMs).toBe(NOW_MS + 60_000);
    });

    it('skips undefined changes', async () => {
      const store = transactionStore();
      const written = transaction(freshUserId());
      await store.create(written);

      const updated = await store.update(written.userId, written.transactionId, { merchant: undefined });

      expect(updated?.merchant).toBe('Subway');
    });

    it('moves date in listing', async () => {
      const store = transactionStore();
      const userId = freshUserId();
      const written = transaction(userId, { date: '2024-06-03' });
      await store.create(written);

      await store.update(userId, written.transactionId, { date: '2024-07-01' });

      expect(ids(await store.listByDate(userId, '2024-07-01', '2024-07-31'))).toEqual([
        written.transactionId,
      ]);
    });

    it('removes old date from listing', async () => {
      const store = transactionStore();
      const userId = freshUserId();
      const written = transaction(userId, { date: '2024-06-03' });
      await store.create(written);

      await store.update(userId, written.transactionId, { date: '2024-07-01' });

      expect(await store.listByDate(userId, '2024-06-01', '2024-06-30')).toEqual([]);
    });

    it('returns undefined after delete', async () => {
      const store = transactionStore();
      const written = transaction(freshUserId());
      await store.create(written);
      await store.delete(written.userId, written.transactionId);

      const updated = await store.update(written.userId, written.transactionId, { status: 'confirmed' });

      expect(updated).toBeUndefined();
    });

    it('does not recreate deleted item', async () => {
      const store = transactionStore();
      const written = transaction(freshUserId());
      await store.create(written);
      await store.delete(written.userId, written.transactionId);

      await store.update(written.userId, written.transactionId, { status: 'confirmed' });

      expect(await store.get(written.userId, written.transactionId)).toBeUndefined();
    });
  });

  describe('delete', () => {
    it('returns deleted transaction', async () => {
      const store = transactionStore();
      const written = transaction(freshUserId());
      await store.create(written);

      expect(await store.delete(written.userId, written.transactionId)).toEqual(written);
    });

    it('returns undefined when gone', async () => {
      const store = transactionStore();
      const written = transaction(freshUserId());
      await store.create(written);
      await store.delete(written.userId, written.transactionId);

      expect(await store.delete(written.userId, written.transactionId)).toBeUndefined();
    });
  });

  describe('listByDate', () => {
    const dates = ['2024-02-29', '2024-03-01', '2024-03-15', '2024-03-31', '2024-04-01'];

    async function seedMonth(store: DynamoTransactionStore, userId: string): Promise<Map<string, string>> {
      const idByDate = new Map<string, string>();
      for (const date of dates) {
        const written = transaction(userId, { date });
        await store.create(written);
        idByDate.set(date, written.transactionId);
      }

      return idByDate;
    }

    it('includes both bounds', async () => {
      const store = transactionStore();
      const userId = freshUserId();
      const idByDate = await seedMonth(store, userId);

      const listed = await store.listByDate(userId, '2024-03-01', '2024-03-31');

      expect(ids(listed)).toEqual(
        [idByDate.get('2024-03-01'), idByDate.get('2024-03-15'), idByDate.get('2024-03-31')].sort(),
      );
    });

    it('lists a single day', async () => {
      const store = transactionStore();
      const userId = freshUserId();
      const idByDate = await seedMonth(store, userId);

      const listed = await store.listByDate(userId, '2024-03-31', '2024-03-31');

      expect(ids(listed)).toEqual([idByDate.get('2024-03-31')]);
    });

    it('leaves out other users', async () => {
      const store = transactionStore();
      const userId = freshUserId();
      await seedMonth(store, freshUserId());

      expect(await store.listByDate(userId, '2024-01-01', '2024-12-31')).toEqual([]);
    });

    it('returns plain transactions', async () => {
      const store = transactionStore();
      const userId = freshUserId();
      const written = transaction(userId, { date: '2024-03-10' });
      await store.create(written);

      expect(await store.listByDate(userId, '2024-03-01', '2024-03-31')).toEqual([written]);
    });

    it('reads every page', async () => {
      const store = transactionStore();
      const userId = freshUserId();
      const written = Array.from({ length: 7 }, (_, index) =>
        transaction(userId, { date: `2024-05-${String(index + 1).padStart(2, '0')}` }),
      );
      for (const entry of written) {
        await store.create(entry);
      }
      // Three items per page, so seven items take three queries.
      const { client, queries } = countingClient(3);
      const pagedStore = new DynamoTransactionStore({ client, tableName: local.tables.transactions });

      const listed = await pagedStore.listByDate(userId, '2024-05-01', '2024-05-31');

      expect(ids(listed)).toEqual(ids(written));
      expect(queries()).toBe(3);
    });

    it('pages past 1 MB', async () => {
      const store = transactionStore();
      const userId = freshUserId();
      // Items near 200 KB each put 1.4 MB in the range, beyond the 1 MB DynamoDB returns per query.
      const description = 'x'.repeat(200_000);
      const written = Array.from({ length: 7 }, (_, index) =>
        transaction(userId, { date: `2024-08-0${index + 1}`, description }),
      );
      for (const entry of written) {
        await store.create(entry);
      }

      const { client, queries } = countingClient();
      const countedStore = new DynamoTransactionStore({ client, tableName: local.tables.transactions });

      const listed = await countedStore.listByDate(userId, '2024-08-01', '2024-08-31');

      expect(ids(listed)).toEqual(ids(written));
      expect(queries()).toBe(2);
    });
  });
});
