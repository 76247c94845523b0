import { type FakeOpenAi, startFakeOpenAi } from '../../infra/local/fake-openai/server';
import { OpenAiClient } from '../../lib/ai/openai/client';
import type { CircuitBreakerSettings } from '../../lib/resilience/circuit-breaker';
import { createDynamoResilientCaller } from '../../lib/resilience/dynamo-caller';
import { SILENT_LOGGER } from '../../lib/resilience/logger';
import type { ResilientCaller } from '../../lib/resilience/resilient-call';
import { createLocalTables, type LocalTables } from '../store/local-tables';

/** The fake OpenAI server, DynamoDB Local tables and a real client behind the real resilience layer. */
export interface OpenAiHarness {
  fake: FakeOpenAi;
  local: LocalTables;
  caller: ResilientCaller;
  client: OpenAiClient;
  /** Delays the resilience layer slept, in milliseconds; sleeps return at once. */
  sleeps: number[];
  stop(): Promise<void>;
}

/** Starts a harness whose tables are its own, so breaker state never leaks between test files. */
export async function startOpenAiHarness(
  label: string,
  options: { breakerSettings?: Partial<CircuitBreakerSettings>; timeoutMs?: number } = {},
): Promise<OpenAiHarness> {
  const fake = await startFakeOpenAi();
  const local = await createLocalTables(label);
  const sleeps: number[] = [];
  const caller = createDynamoResilientCaller({
    client: local.client,
    tableName: local.tables.resilience,
    logger: SILENT_LOGGER,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    breakerSettings: options.breakerSettings,
  });
  const client = new OpenAiClient({
    apiKey: fake.apiKey,
    baseURL: fake.baseURL,
    timeoutMs: options.timeoutMs ?? 5_000,
    caller,
  });

  return {
    fake,
    local,
    caller,
    client,
    sleeps,
    stop: async () => {
      await fake.stop();
      local.destroy();
    },
  };
}
