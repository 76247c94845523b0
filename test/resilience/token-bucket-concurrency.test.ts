import { setTimeout as delay } from 'node:timers/promises';
import { DynamoTokenBucket } from '../../lib/resilience/token-bucket';
import { createLocalTables, type LocalTables } from '../store/local-tables';
import { createSeparateClient, type SeparateClient, uniqueKey } from './support';

const INSTANCES = 20;
const RUN_MS = 3_000;
const WINDOW_MS = 1_000;
const LIMIT = { capacity: 5, refillPerSecond: 5 };
// GCRA admits at most capacity + refillPerSecond × W in any interval of W seconds, measured by the clock
// readings on which the grants were decided.
const MAX_PER_WINDOW = LIMIT.capacity + LIMIT.refillPerSecond * (WINDOW_MS / 1_000);

interface RunResult {
  /** Clock reading of the attempt that won each grant. */
  grantTimes: number[];
  /** Time at which each grant's response arrived. */
  responseTimes: number[];
  denials: number;
  requests: number;
}

let local: LocalTables;
let clients: SeparateClient[];

beforeAll(async () => {
  local = await createLocalTables('bucket-concurrency');
  clients = Array.from({ length: INSTANCES }, () => createSeparateClient());
});

afterAll(() => {
  for (const client of clients ?? []) {
    client.destroy();
  }
  local?.destroy();
});

/** Runs one instance per client against one bucket; each takes, and sleeps the returned wait when denied. */
async function hammer(key: string): Promise<RunResult> {
  const result: RunResult = { grantTimes: [], responseTimes: [], denials: 0, requests: 0 };
  const startMs = Date.now();

  await Promise.all(
    clients.map(async ({ client }) => {
      let lastReadingMs = 0;
      const bucket = new DynamoTokenBucket({
        client,
        tableName: local.tables.resilience,
        now: () => {
          lastReadingMs = Date.now();
          return lastReadingMs;
        },
      });

      while (Date.now() - startMs < RUN_MS) {
        const taken = await bucket.take(key, LIMIT);
        if (taken.granted) {
          result.grantTimes.push(lastReadingMs);
          result.responseTimes.push(Date.now());
        } else {
          result.denials += 1;
          await delay(taken.waitMs);
        }
      }
      result.requests += bucket.dynamoRequests;
    }),
  );

  result.grantTimes.sort((a, b) => a - b);
  result.responseTimes.sort((a, b) => a - b);
  return result;
}

/** Returns the largest number of times in any closed interval [t, t + windowMs] that starts at a time. */
function maxInWindow(sortedTimes: number[], windowMs: number): number {
  let max = 0;
  let end = 0;
  for (let start = 0; start < sortedTimes.length; start += 1) {
    while (end < sortedTimes.length && (sortedTimes[end] ?? 0) - (sortedTimes[start] ?? 0) <= windowMs) {
      end += 1;
    }
    max = Math.max(max, end - start);
  }
  return max;
}

describe('DynamoTokenBucket under concurrency', () => {
  let run: RunResult;

  beforeAll(async () => {
    run = await hammer(uniqueKey('telegram:sendMessage:chat'));
    const spanMs = (run.grantTimes.at(-1) ?? 0) - (run.grantTimes[0] ?? 0);
    console.log(
      [
        `${INSTANCES} instances, bucket ${LIMIT.capacity} tokens + ${LIMIT.refillPerSecond}/s, ${RUN_MS} ms run`,
        `granted ${run.grantTimes.length} over ${spanMs} ms (bound ${(LIMIT.capacity + (LIMIT.refillPerSecond * spanMs) / 1_000).toFixed(1)})`,
        `max per 1 s window: ${maxInWindow(run.grantTimes, WINDOW_MS)} by decision time, ` +
          `${maxInWindow(run.responseTimes, WINDOW_MS)} by response time (bound ${MAX_PER_WINDOW})`,
        `denied ${run.denials}, DynamoDB requests ${run.requests} ` +
          `(${(run.requests / Math.max(1, run.grantTimes.length)).toFixed(2)} per grant)`,
      ].join('\n'),
    );
  }, 20_000);

  it('stays within the limit in every window', () => {
    expect(maxInWindow(run.grantTimes, WINDOW_MS)).toBeLessThanOrEqual(MAX_PER_WINDOW);
  });

  it('stays within the limit over the run', () => {
    const spanMs = (run.grantTimes.at(-1) ?? 0) - (run.grantTimes[0] ?? 0);

    expect(run.grantTimes.length).toBeLessThanOrEqual(
      LIMIT.capacity + (LIMIT.refillPerSecond * spanMs) / 1_000,
    );
  });

  it('admits close to the limit', () => {
    const ideal = LIMIT.capacity + (LIMIT.refillPerSecond * RUN_MS) / 1_000;

    expect(run.grantTimes.length).toBeGreaterThanOrEqual(0.8 * ideal);
  });
});
