import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { IdempotencyStore } from '../../lib/store/idempotency-store';
import { createLocalTables, type LocalTables } from './local-tables';

// DynamoDB Local deletes expired items by the real clock, so the injected clock starts at the real time.
// Items then expire only for the store's clock, like items on AWS that TTL has not deleted yet.
const T0_MS = Date.now();
const HOUR_MS = 3_600_000;
const RETENTION_SECONDS = 3_600;
const SHORT_RETENTION_SECONDS = 600;
const LEASE_SECONDS = 60;

let local: LocalTables;
let keyCounter = 0;

function freshKey(): string {
  keyCounter += 1;
  return `update:telegram:${keyCounter}`;
}

function storeAt(nowMs: number, retentionSeconds = RETENTION_SECONDS): IdempotencyStore {
  return new IdempotencyStore({
    client: local.client,
    tableName: local.tables.idempotency,
    retentionSeconds,
    now: () => nowMs,
  });
}

beforeAll(async () => {
  local = await createLocalTables('idempotency');
});

afterAll(() => {
  local?.destroy();
});

describe('IdempotencyStore', () => {
  describe('claim', () => {
    it('claims a new key', async () => {
      const store = storeAt(T0_MS);

      expect(await store.claim(freshKey(), LEASE_SECONDS)).toBe('claimed');
    });

    it('reports held key in progress', async () => {
      const store = storeAt(T0_MS);
      const key = freshKey();
      await store.claim(key, LEASE_SECONDS);

      expect(await store.claim(key, LEASE_SECONDS)).toBe('in-progress');
    });

    it('reports completed key', async () => {
      const store = storeAt(T0_MS);
      const key = freshKey();
      await store.claim(key, LEASE_SECONDS);
      await store.complete(key);

      expect(await store.claim(key, LEASE_SECONDS)).toBe('completed');
    });

    it('keeps completed key after lease', async () => {
      const key = freshKey();
      await storeAt(T0_MS).claim(key, LEASE_SECONDS);
      await storeAt(T0_MS).complete(key);

      const outcome = await storeAt(T0_MS + (LEASE_SECONDS + 1) * 1_000).claim(key, LEASE_SECONDS);

      expect(outcome).toBe('completed');
    });

    it('keeps separate keys apart', async () => {
      const store = storeAt(T0_MS);
      await store.claim(freshKey(), LEASE_SECONDS);

      expect(await store.claim(freshKey(), LEASE_SECONDS)).toBe('claimed');
    });
  });

  describe('concurrent claims', () => {
    it('lets exactly one win', async () => {
      const store = storeAt(T0_MS);
      const key = freshKey();

      const outcomes = await Promise.all(Array.from({ length: 10 }, () => store.claim(key, LEASE_SECONDS)));

      expect(outcomes.filter((outcome) => outcome === 'claimed')).toHaveLength(1);
    });

    it('tells losers in progress', async () => {
      const store = storeAt(T0_MS);
      const key = freshKey();

      const outcomes = await Promise.all(Array.from({ length: 10 }, () => store.claim(key, LEASE_SECONDS)));

      expect(outcomes.filter((outcome) => outcome === 'in-progress')).toHaveLength(9);
    });
  });

  describe('lease', () => {
    it('blocks takeover before expiry', async () => {
      const key = freshKey();
      await storeAt(T0_MS).claim(key, LEASE_SECONDS);

      const outcome = await storeAt(T0_MS + (LEASE_SECONDS - 1) * 1_000).claim(key, LEASE_SECONDS);

      expect(outcome).toBe('in-progress');
    });

    it('blocks takeover at expiry', async () => {
      const key = freshKey();
      await storeAt(T0_MS).claim(key, LEASE_SECONDS);

      const outcome = await storeAt(T0_MS + LEASE_SECONDS * 1_000).claim(key, LEASE_SECONDS);

      expect(outcome).toBe('in-progress');
    });

    it('allows takeover after expiry', async () => {
      const key = freshKey();
      await storeAt(T0_MS).claim(key, LEASE_SECONDS);

      const outcome = await storeAt(T0_MS + LEASE_SECONDS * 1_000 + 1).claim(key, LEASE_SECONDS);

      expect(outcome).toBe('claimed');
    });

    it('renews lease on takeover', async () => {
      const key = freshKey();
      const takeoverMs = T0_MS + (LEASE_SECONDS + 1) * 1_000;
      await storeAt(T0_MS).claim(key, LEASE_SECONDS);
      await storeAt(takeoverMs).claim(key, LEASE_SECONDS);

      const outcome = await storeAt(takeoverMs + 1_000).claim(key, LEASE_SECONDS);

      expect(outcome).toBe('in-progress');
    });
  });

  describe('release', () => {
    it('lets key be claimed again', async () => {
      const store = storeAt(T0_MS);
      const key = freshKey();
      await store.claim(key, LEASE_SECONDS);
      await store.release(key);

      expect(await store.claim(key, LEASE_SECONDS)).toBe('claimed');
    });

    it('keeps completed key', async () => {
      const store = storeAt(T0_MS);
      const key = freshKey();
      await store.claim(key, LEASE_SECONDS);
      await store.complete(key);
      await store.release(key);

      expect(await store.claim(key, LEASE_SECONDS)).toBe('completed');
    });

    it('ignores unknown key', async () => {
      const store = storeAt(T0_MS);

      await expect(store.release(freshKey())).resolves.toBeUndefined();
    });
  });

  describe('retention', () => {
    it('reclaims completed key after retention', async () => {
      const key = freshKey();
      await storeAt(T0_MS, SHORT_RETENTION_SECONDS).claim(key, LEASE_SECONDS);
      await storeAt(T0_MS, SHORT_RETENTION_SECONDS).complete(key);

      const outcome = await storeAt(
        T0_MS + (SHORT_RETENTION_SECONDS + 1) * 1_000,
        SHORT_RETENTION_SECONDS,
      ).claim(key, LEASE_SECONDS);

      expect(outcome).toBe('claimed');
    });

    it('keeps completed key within retention', async () => {
      const key = freshKey();
      await storeAt(T0_MS, SHORT_RETENTION_SECONDS).claim(key, LEASE_SECONDS);
      await storeAt(T0_MS, SHORT_RETENTION_SECONDS).complete(key);

      const outcome = await storeAt(T0_MS + SHORT_RETENTION_SECONDS * 1_000, SHORT_RETENTION_SECONDS).claim(
        key,
        LEASE_SECONDS,
      );

      expect(outcome).toBe('completed');
    });

    it('treats TTL-expired item as absent', async () => {
      const key = freshKey();
      // The item expired an hour before the store's clock, but TTL has not deleted it yet.
      await local.client.send(
        new PutCommand({
          TableName: local.tables.idempotency,
          Item: { key, status: 'completed', expiresAtEpochSeconds: Math.floor((T0_MS + HOUR_MS) / 1_000) },
        }),
      );

      expect(await storeAt(T0_MS + 2 * HOUR_MS).claim(key, LEASE_SECONDS)).toBe('claimed');
    });

    it('hides TTL-expired marker', async () => {
      const key = freshKey();
      await local.client.send(
        new PutCommand({
          TableName: local.tables.idempotency,
          Item: { key, status: 'completed', expiresAtEpochSeconds: Math.floor((T0_MS + HOUR_MS) / 1_000) },
        }),
      );

      expect(await storeAt(T0_MS + 2 * HOUR_MS).hasMarker(key)).toBe(false);
    });

    it('keeps item until its expiry', async () => {
      const key = freshKey();
      await local.client.send(
        new PutCommand({
          TableName: local.tables.idempotency,
          Item: { key, status: 'completed', expiresAtEpochSeconds: Math.floor((T0_MS + HOUR_MS) / 1_000) },
        }),
      );

      expect(await storeAt(T0_MS + HOUR_MS).hasMarker(key)).toBe(true);
    });
  });

  describe('markers', () => {
    it('reports missing marker', async () => {
      expect(await storeAt(T0_MS).hasMarker(freshKey())).toBe(false);
    });

    it('reports written marker', async () => {
      const store = storeAt(T0_MS);
      const key = `reply:${freshKey()}`;
      await store.putMarker(key);

      expect(await store.hasMarker(key)).toBe(true);
    });

    it('expires marker after retention', async () => {
      const key = `reply:${freshKey()}`;
      await storeAt(T0_MS, SHORT_RETENTION_SECONDS).putMarker(key);

      expect(
        await storeAt(T0_MS + (SHORT_RETENTION_SECONDS + 1) * 1_000, SHORT_RETENTION_SECONDS).hasMarker(key),
      ).toBe(false);
    });

    it('blocks claim on marker key', async () => {
      const store = storeAt(T0_MS);
      const key = freshKey();
      await store.putMarker(key);

      expect(await store.claim(key, LEASE_SECONDS)).toBe('completed');
    });
  });

  describe('errors', () => {
    it('wraps missing table error', async () => {
      const store = new IdempotencyStore({
        client: local.client,
        tableName: 'no-such-table',
        retentionSeconds: 60,
      });

      await expect(store.claim(freshKey(), LEASE_SECONDS)).rejects.toMatchObject({
        name: 'StoreError',
        table: 'no-such-table',
      });
    });
  });

  describe('claimWithDetails', () => {
    it('reports a new key as fresh', async () => {
      const store = storeAt(T0_MS);

      const claim = await store.claimWithDetails(freshKey(), LEASE_SECONDS);

      expect(claim).toEqual({ outcome: 'claimed', fresh: true });
    });

    it('reports a taken-over lease as not fresh', async () => {
      const key = freshKey();
      await storeAt(T0_MS).claim(key, LEASE_SECONDS);

      const claim = await storeAt(T0_MS + (LEASE_SECONDS + 1) * 1_000).claimWithDetails(key, LEASE_SECONDS);

      expect(claim).toEqual({ outcome: 'claimed', fresh: false });
    });

    it('reads a completed duplicate from the failed write', async () => {
      const key = freshKey();
      const store = storeAt(T0_MS);
      await store.claim(key, LEASE_SECONDS);
      await store.complete(key);

      const claim = await store.claimWithDetails(key, LEASE_SECONDS);

      expect(claim).toEqual({ outcome: 'completed', fresh: false });
    });
  });

  describe('getMarker', () => {
    it('returns the stored message id', async () => {
      const key = freshKey();
      const store = storeAt(T0_MS);
      await store.putMarker(key, { messageId: 42 });

      const marker = await store.getMarker(key);

      expect(marker?.messageId).toBe(42);
    });
  });
});
