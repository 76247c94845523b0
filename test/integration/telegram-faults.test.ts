import { startFakeTelegram } from '../../infra/local/fake-telegram/server';
import type { FakeTelegram } from '../../infra/local/fake-telegram/types';
import { TelegramApiClient } from '../../lib/channels/telegram/api-client';
import { TelegramChannel } from '../../lib/channels/telegram/telegram-channel';
import { DynamoCircuitBreaker } from '../../lib/resilience/circuit-breaker';
import { CircuitOpenError } from '../../lib/resilience/errors';
import { createResilientCaller } from '../../lib/resilience/resilient-call';
import { DynamoTokenBucket } from '../../lib/resilience/token-bucket';
import { ManualClock } from '../resilience/support';
import { createLocalTables, type LocalTables } from '../store/local-tables';

// DynamoDB Local deletes expired items by the real clock, so the injected clock starts at the real time.
const T0_MS = Date.now();
const SERVER_ERROR = {
  status: 500,
  body: { ok: false, error_code: 500, description: 'Internal Server Error' },
};
const BUDGET_MS = 60_000;

let local: LocalTables;
let fake: FakeTelegram;

beforeAll(async () => {
  fake = await startFakeTelegram();
});

afterAll(async () => {
  await fake.stop();
});

// Each test gets its own tables, so one test's breaker state cannot leak into the next.
beforeEach(async () => {
  local = await createLocalTables('telegram-faults');
});

afterEach(() => {
  local.destroy();
});

interface Channel {
  channel: TelegramChannel;
  clock: ManualClock;
  sleeps: number[];
}

/** Creates a Telegram channel on the fake, with the real breaker and buckets on DynamoDB Local and a manual clock. */
function channelOnFake(dependencyClock = new ManualClock(T0_MS), requestTimeoutMs = 10_000): Channel {
  const sleeps: number[] = [];
  const clock = dependencyClock;
  const sleep = async (ms: number) => {
    sleeps.push(ms);
    await clock.sleep(ms);
  };
  const client = new TelegramApiClient({
    token: fake.token,
    baseUrl: fake.url,
    requestTimeoutMs,
    now: clock.now,
  });
  const caller = createResilientCaller({
    breaker: new DynamoCircuitBreaker({
      client: local.client,
      tableName: local.tables.resilience,
      now: clock.now,
    }),
    buckets: new DynamoTokenBucket({
      client: local.client,
      tableName: local.tables.resilience,
      now: clock.now,
    }),
    logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    now: clock.now,
    sleep,
    random: () => 0.5,
  });

  return { channel: new TelegramChannel(client, caller, () => BUDGET_MS), clock, sleeps };
}

function sendRequests(): number {
  return fake.calls.filter((call) => call.method === 'sendMessage').length;
}

async function attempt(channel: TelegramChannel, chatId: number): Promise<unknown> {
  try {
    await channel.send(String(chatId), { text: 'hello' });
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('Telegram channel under faults', () => {
  beforeEach(() => {
    fake.reset();
  });

  it('opens the breaker after five server errors', async () => {
    const { channel, clock } = channelOnFake();
    fake.failNext('sendMessage', SERVER_ERROR, 100);

    const errors: unknown[] = [];
    for (let chat = 1; chat <= 8; chat += 1) {
      errors.push(await attempt(channel, 51_000 + chat));
      clock.advance(1_000);
    }

    expect(sendRequests()).toBe(5);
    expect(errors.slice(5).every((error) => error instanceof CircuitOpenError)).toBe(true);
  });

  it('half-opens and closes after recovery', async () => {
    const { channel, clock } = channelOnFake(new ManualClock(T0_MS));
    fake.failNext('sendMessage', SERVER_ERROR, 5);
    for (let chat = 1; chat <= 5; chat += 1) {
      await attempt(channel, 52_000 + chat);
      clock.advance(1_000);
    }
    const whileOpen = await attempt(channel, 52_100);
    const requestsWhileOpen = sendRequests();

    clock.advance(61_000);
    const trial = await attempt(channel, 52_101);
    clock.advance(1_000);
    const afterTrial = await attempt(channel, 52_102);

    expect(whileOpen).toBeInstanceOf(CircuitOpenError);
    expect(requestsWhileOpen).toBe(5);
    expect(trial).toBeUndefined();
    expect(afterTrial).toBeUndefined();
    expect(sendRequests()).toBe(7);
  });

  it('opens the breaker after five timeouts', async () => {
    const { channel, clock } = channelOnFake(new ManualClock(T0_MS), 300);
    fake.failNext('sendMessage', 'timeout', 5);

    const errors: unknown[] = [];
    for (let chat = 1; chat <= 6; chat += 1) {
      errors.push(await attempt(channel, 53_000 + chat));
      clock.advance(1_000);
    }

    expect(sendRequests()).toBe(5);
    expect(errors[5]).toBeInstanceOf(CircuitOpenError);
  });

  it('sends nothing before retry_after', async () => {
    const { channel, sleeps } = channelOnFake(new ManualClock(T0_MS));
    fake.failNext('sendMessage', {
      status: 429,
      body: {
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 7',
        parameters: { retry_after: 7 },
      },
    });

    const error = await attempt(channel, 54_001);

    expect(error).toBeUndefined();
    expect(sendRequests()).toBe(2);
    expect(Math.max(...sleeps)).toBeGreaterThanOrEqual(7_000);
  });
});
