import { InvalidResilienceOptionError } from '../../lib/resilience/errors';
import { DynamoTokenBucket } from '../../lib/resilience/token-bucket';
import { StoreError } from '../../lib/store/errors';
import { createLocalTables, type LocalTables } from '../store/local-tables';
import { createUnreachableClient, ManualClock, uniqueKey } from './support';

// DynamoDB Local deletes expired items by the real clock, so injected clocks start at the real time.
const T0_MS = Date.now();
const TWO_PER_SECOND = { capacity: 2, refillPerSecond: 2 };
const THREE_THEN_ONE_PER_SECOND = { capacity: 3, refillPerSecond: 1 };

let local: LocalTables;

beforeAll(async () => {
  local = await createLocalTables('bucket');
});

afterAll(() => {
  local?.destroy();
});

function bucketAt(clock: ManualClock): DynamoTokenBucket {
  return new DynamoTokenBucket({ client: local.client, tableName: local.tables.resilience, now: clock.now });
}

async function grantedCount(
  bucket: DynamoTokenBucket,
  key: string,
  limit: { capacity: number; refillPerSecond: number },
  takes: number,
): Promise<number> {
  let granted = 0;
  for (let i = 0; i < takes; i += 1) {
    if ((await bucket.take(key, limit)).granted) {
      granted += 1;
    }
  }
  return granted;
}

describe('DynamoTokenBucket', () => {
  it('grants up to the capacity', async () => {
    const bucket = bucketAt(new ManualClock(T0_MS));

    const granted = await grantedCount(bucket, uniqueKey('chat'), THREE_THEN_ONE_PER_SECOND, 5);

    expect(granted).toBe(3);
  });

  it('returns the wait when empty', async () => {
    const bucket = bucketAt(new ManualClock(T0_MS));
    const key = uniqueKey('chat');
    await grantedCount(bucket, key, TWO_PER_SECOND, 2);

    const result = await bucket.take(key, TWO_PER_SECOND);

    expect(result).toEqual({ granted: false, waitMs: 500 });
  });

  it('shortens the wait as time passes', async () => {
    const clock = new ManualClock(T0_MS);
    const bucket = bucketAt(clock);
    const key = uniqueKey('chat');
    await grantedCount(bucket, key, TWO_PER_SECOND, 2);
    clock.advance(200);

    const result = await bucket.take(key, TWO_PER_SECOND);

    expect(result).toEqual({ granted: false, waitMs: 300 });
  });

  it('refills by elapsed time', async () => {
    const clock = new ManualClock(T0_MS);
    const bucket = bucketAt(clock);
    const key = uniqueKey('chat');
    await grantedCount(bucket, key, THREE_THEN_ONE_PER_SECOND, 3);
    clock.advance(2_000);

    const granted = await grantedCount(bucket, key, THREE_THEN_ONE_PER_SECOND, 5);

    expect(granted).toBe(2);
  });

  it('refills no further than the capacity', async () => {
    const clock = new ManualClock(T0_MS);
    const bucket = bucketAt(clock);
    const key = uniqueKey('chat');
    await grantedCount(bucket, key, THREE_THEN_ONE_PER_SECOND, 3);
    clock.advance(60_000);

    const granted = await grantedCount(bucket, key, THREE_THEN_ONE_PER_SECOND, 10);

    expect(granted).toBe(3);
  });

  it('grants after the returned wait', async () => {
    const clock = new ManualClock(T0_MS);
    const bucket = bucketAt(clock);
    const key = uniqueKey('chat');
    await grantedCount(bucket, key, TWO_PER_SECOND, 2);
    const denied = await bucket.take(key, TWO_PER_SECOND);
    clock.advance(denied.granted ? 0 : denied.waitMs);

    const result = await bucket.take(key, TWO_PER_SECOND);

    expect(result).toEqual({ granted: true });
  });

  it('charges the cost', async () => {
    const bucket = bucketAt(new ManualClock(T0_MS));
    const key = uniqueKey('tokens');
    const limit = { capacity: 1_000, refillPerSecond: 100 };
    await bucket.take(key, limit, 800);

    const result = await bucket.take(key, limit, 300);

    expect(result).toEqual({ granted: false, waitMs: 1_000 });
  });

  it('shares one bucket between instances', async () => {
    const clock = new ManualClock(T0_MS);
    const key = uniqueKey('chat');
    await grantedCount(bucketAt(clock), key, THREE_THEN_ONE_PER_SECOND, 3);

    const result = await bucketAt(clock).take(key, THREE_THEN_ONE_PER_SECOND);

    expect(result.granted).toBe(false);
  });

  it('keeps keys apart', async () => {
    const bucket = bucketAt(new ManualClock(T0_MS));
    const key = uniqueKey('chat');
    await grantedCount(bucket, key, THREE_THEN_ONE_PER_SECOND, 3);

    const result = await bucket.take(`${key}-other`, THREE_THEN_ONE_PER_SECOND);

    expect(result.granted).toBe(true);
  });

  it('denies from its last view without requests', async () => {
    const bucket = bucketAt(new ManualClock(T0_MS));
    const key = uniqueKey('chat');
    await grantedCount(bucket, key, TWO_PER_SECOND, 3);
    const requestsAfterFirstDenial = bucket.dynamoRequests;

    const result = await bucket.take(key, TWO_PER_SECOND);

    expect(result.granted).toBe(false);
    expect(bucket.dynamoRequests).toBe(requestsAfterFirstDenial);
  });

  it('sends one request per uncontended grant', async () => {
    const bucket = bucketAt(new ManualClock(T0_MS));

    await grantedCount(bucket, uniqueKey('chat'), THREE_THEN_ONE_PER_SECOND, 3);

    expect(bucket.dynamoRequests).toBe(3);
  });

  it('rejects a cost above the capacity', async () => {
    const bucket = bucketAt(new ManualClock(T0_MS));

    const take = bucket.take(uniqueKey('tokens'), TWO_PER_SECOND, 3);

    await expect(take).rejects.toBeInstanceOf(InvalidResilienceOptionError);
  });

  it('rejects a zero refill rate', async () => {
    const bucket = bucketAt(new ManualClock(T0_MS));

    const take = bucket.take(uniqueKey('chat'), { capacity: 1, refillPerSecond: 0 });

    await expect(take).rejects.toBeInstanceOf(InvalidResilienceOptionError);
  });

  it('wraps store failures', async () => {
    const unreachable = await createUnreachableClient();
    const bucket = new DynamoTokenBucket({
      client: unreachable.client,
      tableName: local.tables.resilience,
    });

    try {
      const take = bucket.take(uniqueKey('chat'), TWO_PER_SECOND);

      await expect(take).rejects.toBeInstanceOf(StoreError);
    } finally {
      unreachable.destroy();
    }
  });
});
