import { startFakeTelegram } from '../../../infra/local/fake-telegram/server';
import type { FakeTelegram } from '../../../infra/local/fake-telegram/types';
import { TelegramApiClient } from '../../../lib/channels/telegram/api-client';
import { TelegramChannel } from '../../../lib/channels/telegram/telegram-channel';
import { tracingWith } from '../../../lib/observability/powertools-tracing';
import { DynamoCircuitBreaker } from '../../../lib/resilience/circuit-breaker';
import { CircuitOpenError, DeferCallError } from '../../../lib/resilience/errors';
import { createResilientCaller } from '../../../lib/resilience/resilient-call';
import { DynamoTokenBucket } from '../../../lib/resilience/token-bucket';
import { ManualClock } from '../../resilience/support';
import { createLocalTables, type LocalTables } from '../../store/local-tables';
import { FakeTracer } from '../../unit/observability/fake-tracer';
import { RecordingMetrics } from '../../unit/observability/recording-metrics';

// DynamoDB Local deletes expired items by the real clock, so the injected clock starts at the real time.
const T0_MS = Date.now();
const CHAT_ID = 73_310_001;
const PRIVATE_TEXT = 'zebracorn brunch 48.15 at Quillfeather';
const SERVER_ERROR = {
  status: 500,
  body: { ok: false, error_code: 500, description: 'Internal Server Error' },
};
const TOO_MANY_REQUESTS = {
  status: 429,
  body: {
    ok: false,
    error_code: 429,
    description: 'Too Many Requests: retry after 7',
    parameters: { retry_after: 7 },
  },
};

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
  local = await createLocalTables('telegram-observability');
  fake.reset();
});

afterEach(() => {
  local.destroy();
});

/** Builds a Telegram channel on the fake with the real breaker and buckets, recording metrics and trace. */
function observedChannel(budgetMs = 60_000) {
  const clock = new ManualClock(T0_MS);
  const metrics = new RecordingMetrics();
  const tracer = new FakeTracer('message-processor');
  const caller = createResilientCaller({
    breaker: new DynamoCircuitBreaker({
      client: local.client,
      tableName: local.tables.resilience,
      now: clock.now,
      metrics,
    }),
    buckets: new DynamoTokenBucket({
      client: local.client,
      tableName: local.tables.resilience,
      now: clock.now,
    }),
    logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
    metrics,
    tracing: tracingWith(tracer),
  });
  const client = new TelegramApiClient({ token: fake.token, baseUrl: fake.url, now: clock.now });
  const channel = new TelegramChannel(client, caller, () => budgetMs);

  /** Sends to `chatId` and returns the error, if any. */
  const send = async (chatId = CHAT_ID): Promise<unknown> => {
    try {
      await channel.send(String(chatId), { text: PRIVATE_TEXT });
      return undefined;
    } catch (error) {
      return error;
    }
  };

  return { channel, clock, metrics, tracer, send };
}

function dimensionsOf(metrics: RecordingMetrics) {
  return metrics.points.map(({ name, dimensions }) => ({ name, dimensions }));
}

describe('Telegram calls through the resilience layer', () => {
  describe('tracing', () => {
    it('names each attempt after the dependency and method', async () => {
      const { channel, tracer } = observedChannel();
      fake.registerCallbackQuery('query-1');

      await channel.send(String(CHAT_ID), { text: PRIVATE_TEXT });
      const messageId = fake.messages(CHAT_ID).at(-1)!.messageId!;
      await channel.edit({ chatId: String(CHAT_ID), messageId }, { text: 'edited' });
      await channel.acknowledge('query-1');

      expect(tracer.segments().map((segment) => segment.name)).toEqual([
        'telegram.sendMessage',
        'telegram.editMessageText',
        'telegram.answerCallbackQuery',
      ]);
    });

    it('marks attempts as remote calls without annotations', async () => {
      const { tracer, send } = observedChannel();

      await send();

      const [attempt] = tracer.named('telegram.sendMessage');
      expect(attempt!.attributes).toEqual({ namespace: 'remote' });
      expect(attempt!.annotations).toEqual({});
      expect(attempt!.metadata).toEqual({});
    });

    it('flags a 429 attempt as throttled', async () => {
      const { tracer, send } = observedChannel();
      fake.failNext('sendMessage', TOO_MANY_REQUESTS);

      await send();

      expect(tracer.named('telegram.sendMessage').map((segment) => segment.flags)).toEqual([
        ['error', 'throttle'],
        [],
      ]);
    });

    it('flags a 5xx attempt as a fault', async () => {
      const { tracer, send } = observedChannel();
      fake.failNext('sendMessage', SERVER_ERROR);

      await send();

      expect(tracer.named('telegram.sendMessage').map((segment) => segment.flags)).toEqual([['fault']]);
    });

    it('keeps the chat id, text and token out of the trace', async () => {
      const { tracer, send } = observedChannel();
      fake.failNext('sendMessage', TOO_MANY_REQUESTS);
      await send();
      fake.failNext('sendMessage', SERVER_ERROR);
      await send();

      const trace = tracer.serialized();
      expect(trace).not.toContain(String(CHAT_ID));
      expect(trace).not.toContain('zebracorn');
      expect(trace).not.toContain(fake.token.split(':')[1]);
      expect(trace).not.toContain(fake.url);
    });
  });

  describe('metrics', () => {
    it('counts each 429 as ProviderRateLimited', async () => {
      const { metrics, send } = observedChannel();
      fake.failNext('sendMessage', TOO_MANY_REQUESTS);

      const error = await send();

      expect(error).toBeUndefined();
      expect(dimensionsOf(metrics)).toEqual([
        { name: 'ProviderRateLimited', dimensions: { dependency: 'telegram' } },
      ]);
    });

    it('counts the circuit opening and short-circuited calls', async () => {
      const { metrics, clock, send } = observedChannel();
      fake.failNext('sendMessage', SERVER_ERROR, 5);
      for (let chat = 1; chat <= 5; chat += 1) {
        await send(CHAT_ID + chat);
        clock.advance(1_000);
      }

      const rejected = await send();

      expect(rejected).toBeInstanceOf(CircuitOpenError);
      expect(dimensionsOf(metrics)).toEqual([
        { name: 'CircuitOpened', dimensions: { dependency: 'telegram' } },
        { name: 'ShortCircuitedCalls', dimensions: { dependency: 'telegram' } },
        { name: 'CallsDeferred', dimensions: { dependency: 'telegram' } },
      ]);
    });

    it('counts the circuit closing after a good trial', async () => {
      const { metrics, clock, send } = observedChannel();
      fake.failNext('sendMessage', SERVER_ERROR, 5);
      for (let chat = 1; chat <= 5; chat += 1) {
        await send(CHAT_ID + chat);
        clock.advance(1_000);
      }
      clock.advance(61_000);

      const trial = await send();

      expect(trial).toBeUndefined();
      expect(metrics.named('CircuitClosed')).toEqual([
        { name: 'CircuitClosed', dimensions: { dependency: 'telegram' }, value: 1, unit: 'Count' },
      ]);
    });

    it('counts a failed trial as the circuit opening again', async () => {
      const { metrics, clock, send } = observedChannel();
      fake.failNext('sendMessage', SERVER_ERROR, 6);
      for (let chat = 1; chat <= 5; chat += 1) {
        await send(CHAT_ID + chat);
        clock.advance(1_000);
      }
      clock.advance(61_000);

      await send();

      expect(metrics.named('CircuitOpened')).toHaveLength(2);
    });

    it('defers by dependency, never by the per-chat bucket key', async () => {
      const { metrics, send } = observedChannel(0);

      const first = await send();
      const second = await send();

      expect(first).toBeUndefined();
      expect(second).toBeInstanceOf(DeferCallError);
      expect((second as DeferCallError).key).toContain(String(CHAT_ID));
      expect(dimensionsOf(metrics)).toEqual([
        { name: 'CallsDeferred', dimensions: { dependency: 'telegram' } },
      ]);
    });

    it('puts no chat id into any dimension', async () => {
      const { metrics, clock, send } = observedChannel(0);
      fake.failNext('sendMessage', TOO_MANY_REQUESTS);
      await send();
      await send();
      fake.failNext('sendMessage', SERVER_ERROR, 5);
      for (let chat = 1; chat <= 6; chat += 1) {
        clock.advance(2_000);
        await send(CHAT_ID + chat);
      }

      expect(metrics.points.length).toBeGreaterThan(2);
      expect(JSON.stringify(metrics.points)).not.toContain(String(CHAT_ID).slice(0, 5));
    });
  });
});
