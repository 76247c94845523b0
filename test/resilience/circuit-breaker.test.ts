import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { breakerStateKey } from '../../lib/resilience/breaker-table';
import { type BreakerPermit, DynamoCircuitBreaker } from '../../lib/resilience/circuit-breaker';
import { BreakerStoreUnavailableError, CircuitOpenError } from '../../lib/resilience/errors';
import { createLocalTables, type LocalTables } from '../store/local-tables';
import { CapturingLogger } from '../support/capturing-logger';
import {
  createSeparateClient,
  createUnreachableClient,
  ManualClock,
  type SeparateClient,
  uniqueKey,
} from './support';

// DynamoDB Local deletes expired items by the real clock, so injected clocks start at the real time.
const T0_MS = Date.now();
const OPEN_MS = 60_000;
const TRIAL_LEASE_MS = 30_000;

let local: LocalTables;

beforeAll(async () => {
  local = await createLocalTables('breaker');
});

afterAll(() => {
  local?.destroy();
});

function breakerAt(
  clock: ManualClock,
  client = local.client,
  logger?: CapturingLogger,
): DynamoCircuitBreaker {
  return new DynamoCircuitBreaker({ client, tableName: local.tables.resilience, now: clock.now, logger });
}

async function failTimes(breaker: DynamoCircuitBreaker, dependency: string, times: number): Promise<void> {
  for (let i = 0; i < times; i += 1) {
    const permit = await breaker.acquire(dependency);
    await permit.failed();
  }
}

async function openCircuit(clock: ManualClock, dependency: string): Promise<void> {
  await failTimes(breakerAt(clock), dependency, 5);
}

async function acquireError(breaker: DynamoCircuitBreaker, dependency: string): Promise<unknown> {
  return breaker.acquire(dependency).then(
    () => undefined,
    (error: unknown) => error,
  );
}

async function storedItem(dependency: string): Promise<Record<string, unknown> | undefined> {
  const result = await local.client.send(
    new GetCommand({
      TableName: local.tables.resilience,
      Key: { stateKey: breakerStateKey(dependency) },
      ConsistentRead: true,
    }),
  );
  return result.Item;
}

describe('DynamoCircuitBreaker', () => {
  describe('closed', () => {
    it('stays closed after four failures', async () => {
      const clock = new ManualClock(T0_MS);
      const dependency = uniqueKey('telegram');
      await failTimes(breakerAt(clock), dependency, 4);

      const permit = await breakerAt(clock).acquire(dependency);

      expect(permit.state).toBe('closed');
    });

    it('opens after five consecutive failures', async () => {
      const clock = new ManualClock(T0_MS);
      const dependency = uniqueKey('telegram');
      await failTimes(breakerAt(clock), dependency, 5);

      const error = await acquireError(breakerAt(clock), dependency);

      expect(error).toBeInstanceOf(CircuitOpenError);
    });

    it('counts failures across instances', async () => {
      const clock = new ManualClock(T0_MS);
      const dependency = uniqueKey('telegram');
      await failTimes(breakerAt(clock), dependency, 3);
      await failTimes(breakerAt(clock), dependency, 2);

      const error = await acquireError(breakerAt(clock), dependency);

      expect(error).toBeInstanceOf(CircuitOpenError);
    });

    it('resets the count on success', async () => {
      const clock = new ManualClock(T0_MS);
      const dependency = uniqueKey('telegram');
      const breaker = breakerAt(clock);
      await failTimes(breaker, dependency, 4);
      await (await breaker.acquire(dependency)).succeeded();
      await failTimes(breaker, dependency, 4);

      const permit = await breakerAt(clock).acquire(dependency);

      expect(permit.state).toBe('closed');
    });

    it('opens on the fifth failure after a reset', async () => {
      const clock = new ManualClock(T0_MS);
      const dependency = uniqueKey('telegram');
      const breaker = breakerAt(clock);
      await failTimes(breaker, dependency, 4);
      await (await breaker.acquire(dependency)).succeeded();
      await failTimes(breaker, dependency, 5);

      const error = await acquireError(breakerAt(clock), dependency);

      expect(error).toBeInstanceOf(CircuitOpenError);
    });

    it('ignores released permits', async () => {
      const clock = new ManualClock(T0_MS);
      const dependency = uniqueKey('telegram');
      const breaker = breakerAt(clock);
      for (let i = 0; i < 10; i += 1) {
        await (await breaker.acquire(dependency)).release();
      }

      const permit = await breakerAt(clock).acquire(dependency);

      expect(permit.state).toBe('closed');
    });

    it('counts each permit once', async () => {
      const clock = new ManualClock(T0_MS);
      const dependency = uniqueKey('telegram');
      const breaker = breakerAt(clock);
      const permit = await breaker.acquire(dependency);
      for (let i = 0; i < 5; i += 1) {
        await permit.failed();
      }

      const item = await storedItem(dependency);

      expect(item?.consecutiveFailures).toBe(1);
    });

    it('serves cached closed state without reads', async () => {
      const clock = new ManualClock(T0_MS);
      const breaker = breakerAt(clock);
      const dependency = uniqueKey('telegram');
      await breaker.acquire(dependency);
      clock.advance(999);

      await breaker.acquire(dependency);

      expect(breaker.dynamoRequests).toBe(1);
    });

    it('reads again after the cache expires', async () => {
      const clock = new ManualClock(T0_MS);
      const breaker = breakerAt(clock);
      const dependency = uniqueKey('telegram');
      await breaker.acquire(dependency);
      clock.advance(1_000);

      await breaker.acquire(dependency);

      expect(breaker.dynamoRequests).toBe(2);
    });

    it('drops a failure reported after the circuit moved on', async () => {
      const clock = new ManualClock(T0_MS);
      const dependency = uniqueKey('telegram');
      const latePermit = await breakerAt(clock).acquire(dependency);
      await openCircuit(clock, dependency);
      clock.advance(OPEN_MS);
      await (await breakerAt(clock).acquire(dependency)).succeeded();

      await latePermit.failed();
      const item = await storedItem(dependency);

      expect(item?.consecutiveFailures).toBe(0);
    });

    it('logs the opening', async () => {
      const clock = new ManualClock(T0_MS);
      const dependency = uniqueKey('telegram');
      const logger = new CapturingLogger('breaker-test');

      await failTimes(breakerAt(clock, local.client, logger), dependency, 5);

      expect(logger.lines.some((line) => line.includes('Circuit opened'))).toBe(true);
    });
  });

  describe('open', () => {
    it('rejects with the remaining open time', async () => {
      const clock = new ManualClock(T0_MS);
      const dependency = uniqueKey('telegram');
      await openCircuit(clock, dependency);
      clock.advance(10_000);

      const error = await acquireError(breakerAt(clock), dependency);

      expect(error).toMatchObject({
        name: 'CircuitOpenError',
        dependency,
        retryAfterMs: 50_000,
        state: 'open',
      });
    });

    it('rejects from cache without reads', async () => {
      const clock = new ManualClock(T0_MS);
      const dependency = uniqueKey('telegram');
      const breaker = breakerAt(clock);
      await failTimes(breaker, dependency, 5);
      const requestsAfterOpening = breaker.dynamoRequests;

      await acquireError(breaker, dependency);

      expect(breaker.dynamoRequests).toBe(requestsAfterOpening);
    });

    it('keeps dependency keys apart', async () => {
      const clock = new ManualClock(T0_MS);
      const dependency = uniqueKey('telegram');
      await openCircuit(clock, dependency);

      const permit = await breakerAt(clock).acquire(`${dependency}:getFile`);

      expect(permit.state).toBe('closed');
    });
  });

  describe('half-open', () => {
    let clients: SeparateClient[] = [];

    afterEach(() => {
      for (const client of clients) {
        client.destroy();
      }
      clients = [];
    });

    it('admits three of ten concurrent instances', async () => {
      const clock = new ManualClock(T0_MS);
      const dependency = uniqueKey('telegram');
      await openCircuit(clock, dependency);
      clock.advance(OPEN_MS);
      clients = Array.from({ length: 10 }, () => createSeparateClient());
      const breakers = clients.map(({ client }) => breakerAt(clock, client));

      const outcomes = await Promise.allSettled(breakers.map((breaker) => breaker.acquire(dependency)));
      const permits = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      const rejections = outcomes.flatMap((outcome) =>
        outcome.status === 'rejected' ? [outcome.reason] : [],
      );

      expect(permits).toHaveLength(3);
      expect(rejections.every((reason) => reason instanceof CircuitOpenError)).toBe(true);
      expect(rejections.every((reason) => (reason as CircuitOpenError).state === 'half-open')).toBe(true);
    });

    it('grants trial permits', async () => {
      const clock = new ManualClock(T0_MS);
      const dependency = uniqueKey('telegram');
      await openCircuit(clock, dependency);
      clock.advance(OPEN_MS);

      const permit = await breakerAt(clock).acquire(dependency);

      expect(permit.state).toBe('half-open');
    });

    it('closes after a trial success', async () => {
      const clock = new ManualClock(T0_MS);
      const dependency = uniqueKey('telegram');
      await openCircuit(clock, dependency);
      clock.advance(OPEN_MS);
      await (await breakerAt(clock).acquire(dependency)).succeeded();

      const permit = await breakerAt(clock).acquire(dependency);

      expect(permit.state).toBe('closed');
    });

    it('reopens after a trial failure', async () => {
      const clock = new ManualClock(T0_MS);
      const dependency = uniqueKey('telegram');
      await openCircuit(clock, dependency);
      clock.advance(OPEN_MS);
      await (await breakerAt(clock).acquire(dependency)).failed();

      const error = await acquireError(breakerAt(clock), dependency);

      expect(error).toMatchObject({ name: 'CircuitOpenError', retryAfterMs: OPEN_MS, state: 'open' });
    });

    it('drops a stale trial success', async () => {
      const clock = new ManualClock(T0_MS);
      const dependency = uniqueKey('telegram');
      await openCircuit(clock, dependency);
      clock.advance(OPEN_MS);
      const first = await breakerAt(clock).acquire(dependency);
      const second = await breakerAt(clock).acquire(dependency);
      await first.failed();

      // With "last writer wins", this late success would close the circuit that the failure reopened.
      await second.succeeded();
      const error = await acquireError(breakerAt(clock), dependency);

      expect(error).toBeInstanceOf(CircuitOpenError);
    });

    it('frees a slot on release', async () => {
      const clock = new ManualClock(T0_MS);
      const dependency = uniqueKey('telegram');
      await openCircuit(clock, dependency);
      clock.advance(OPEN_MS);
      const permits: BreakerPermit[] = [];
      for (let i = 0; i < 3; i += 1) {
        permits.push(await breakerAt(clock).acquire(dependency));
      }
      await permits[0]?.release();

      const permit = await breakerAt(clock).acquire(dependency);

      expect(permit.state).toBe('half-open');
    });

    it('rejects while every slot is taken', async () => {
      const clock = new ManualClock(T0_MS);
      const dependency = uniqueKey('telegram');
      await openCircuit(clock, dependency);
      clock.advance(OPEN_MS);
      for (let i = 0; i < 3; i += 1) {
        await breakerAt(clock).acquire(dependency);
      }
      clock.advance(TRIAL_LEASE_MS - 1);

      const error = await acquireError(breakerAt(clock), dependency);

      expect(error).toMatchObject({ name: 'CircuitOpenError', state: 'half-open', retryAfterMs: 1_000 });
    });

    it('restarts trials after lost reports', async () => {
      const clock = new ManualClock(T0_MS);
      const dependency = uniqueKey('telegram');
      await openCircuit(clock, dependency);
      clock.advance(OPEN_MS);
      const lost: BreakerPermit[] = [];
      for (let i = 0; i < 3; i += 1) {
        lost.push(await breakerAt(clock).acquire(dependency));
      }
      clock.advance(TRIAL_LEASE_MS);

      const permit = await breakerAt(clock).acquire(dependency);

      expect(permit.state).toBe('half-open');
    });

    it('drops reports of lost trials', async () => {
      const clock = new ManualClock(T0_MS);
      const dependency = uniqueKey('telegram');
      await openCircuit(clock, dependency);
      clock.advance(OPEN_MS);
      const lost = await breakerAt(clock).acquire(dependency);
      for (let i = 0; i < 2; i += 1) {
        await breakerAt(clock).acquire(dependency);
      }
      clock.advance(TRIAL_LEASE_MS);
      await breakerAt(clock).acquire(dependency);

      await lost.succeeded();
      const item = await storedItem(dependency);

      expect(item?.circuitState).toBe('half-open');
    });
  });

  describe('store unavailable', () => {
    let unreachable: SeparateClient;

    beforeAll(async () => {
      unreachable = await createUnreachableClient();
    });

    afterAll(() => {
      unreachable.destroy();
    });

    function unreachableBreaker(clock: ManualClock, logger?: CapturingLogger): DynamoCircuitBreaker {
      return new DynamoCircuitBreaker({
        client: unreachable.client,
        tableName: local.tables.resilience,
        now: clock.now,
        logger,
        storeFailureModes: { default: 'fail-open', openai: 'fail-closed' },
      });
    }

    it('fails open by default', async () => {
      const breaker = unreachableBreaker(new ManualClock(T0_MS));

      const permit = await breaker.acquire('telegram');

      expect(permit.state).toBe('unknown');
    });

    it('records nothing when failing open', async () => {
      const breaker = unreachableBreaker(new ManualClock(T0_MS));
      const permit = await breaker.acquire('telegram');

      await expect(permit.failed()).resolves.toBeUndefined();
    });

    it('fails closed when configured', async () => {
      const breaker = unreachableBreaker(new ManualClock(T0_MS));

      const error = await acquireError(breaker, 'openai:chat');

      expect(error).toBeInstanceOf(BreakerStoreUnavailableError);
      expect(error).toBeInstanceOf(CircuitOpenError);
      expect(error).toMatchObject({ dependency: 'openai:chat', retryAfterMs: 5_000 });
    });

    it('logs repeated failures once', async () => {
      const logger = new CapturingLogger('breaker-test');
      const breaker = unreachableBreaker(new ManualClock(T0_MS), logger);

      await breaker.acquire('telegram');
      await breaker.acquire('telegram');

      expect(logger.lines.filter((line) => line.includes('fail-open'))).toHaveLength(1);
    });
  });
});
