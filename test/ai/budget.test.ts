import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { AiBudget, toMicroUsd, utcDayOf } from '../../lib/ai/budget';
import { AiSpendUserNotFoundError, DynamoAiSpendStore } from '../../lib/ai/budget-store';
import { AiCostMeter } from '../../lib/ai/cost-meter';
import type { AiUsage } from '../../lib/ai/usage';
import { METRICS } from '../../lib/observability/metric-names';
import { createLocalTables, type LocalTables } from '../store/local-tables';
import { RecordingMetrics } from '../unit/observability/recording-metrics';

// 1,000 input and 100 output tokens of gpt-4o-mini cost $0.00021, 210 micro-dollars.
const CALL: AiUsage = {
  provider: 'openai',
  model: 'gpt-4o-mini',
  operation: 'categorize',
  inputTokens: 1_000,
  outputTokens: 100,
};
const CALL_MICRO_USD = 210;
const DAY_ONE = Date.parse('2026-12-05T23:59:00Z');
const DAY_TWO = Date.parse('2026-12-06T00:01:00Z');

let local: LocalTables;
let store: DynamoAiSpendStore;
let userCount = 0;

beforeAll(async () => {
  local = await createLocalTables('ai-budget');
  store = new DynamoAiSpendStore({ client: local.client, usersTable: local.tables.users });
});

afterAll(() => local.destroy());

async function createUser(): Promise<string> {
  userCount += 1;
  const userId = `budget-user-${userCount}`;
  await local.client.send(
    new PutCommand({ TableName: local.tables.users, Item: { userId, status: 'active' } }),
  );

  return userId;
}

async function storedItem(userId: string): Promise<Record<string, unknown> | undefined> {
  const output = await local.client.send(new GetCommand({ TableName: local.tables.users, Key: { userId } }));
  return output.Item;
}

function budgetAt(clock: { now: number }, dailyLimitMicroUsd = 1_000): AiBudget {
  return new AiBudget({ store, dailyLimitMicroUsd, now: () => clock.now });
}

describe('AiBudget.spend', () => {
  it('adds calls within a UTC day', async () => {
    const userId = await createUser();
    const budget = budgetAt({ now: DAY_ONE });

    await budget.spend(userId, CALL);
    await budget.spend(userId, CALL);
    const total = await budget.spend(userId, CALL);

    expect(total).toBe(3 * CALL_MICRO_USD);
    expect((await storedItem(userId))?.aiSpend).toEqual({ day: '2026-12-05', microUsd: 3 * CALL_MICRO_USD });
  });

  it('starts from 0 on a new UTC day', async () => {
    const userId = await createUser();
    const clock = { now: DAY_ONE };
    const budget = budgetAt(clock);

    await budget.spend(userId, CALL);
    clock.now = DAY_TWO;
    const total = await budget.spend(userId, CALL);

    expect(total).toBe(CALL_MICRO_USD);
    expect((await storedItem(userId))?.aiSpend).toEqual({ day: '2026-12-06', microUsd: CALL_MICRO_USD });
  });

  it('keeps the rest of the user item', async () => {
    const userId = await createUser();

    await budgetAt({ now: DAY_ONE }).spend(userId, CALL);

    expect((await storedItem(userId))?.status).toBe('active');
  });

  it('loses no addition under concurrency', async () => {
    const userId = await createUser();
    const budget = budgetAt({ now: DAY_ONE });

    await Promise.all(Array.from({ length: 20 }, () => budget.spend(userId, CALL)));

    expect(await store.spentOn(userId, '2026-12-05')).toBe(20 * CALL_MICRO_USD);
  });

  it('loses no addition when concurrent calls start a new day', async () => {
    const userId = await createUser();
    await budgetAt({ now: DAY_ONE }).spend(userId, CALL);
    const nextDay = budgetAt({ now: DAY_TWO });

    await Promise.all(Array.from({ length: 10 }, () => nextDay.spend(userId, CALL)));

    expect(await store.spentOn(userId, '2026-12-06')).toBe(10 * CALL_MICRO_USD);
  });

  it('adds to a later day that another clock started', async () => {
    const userId = await createUser();
    await budgetAt({ now: DAY_TWO }).spend(userId, CALL);

    const total = await budgetAt({ now: DAY_ONE }).spend(userId, CALL);

    expect(total).toBe(2 * CALL_MICRO_USD);
    expect((await storedItem(userId))?.aiSpend).toEqual({ day: '2026-12-06', microUsd: 2 * CALL_MICRO_USD });
  });

  it('writes nothing for a local call', async () => {
    const userId = await createUser();

    const total = await budgetAt({ now: DAY_ONE }).spend(userId, {
      provider: 'local',
      model: 'parser',
      operation: 'categorize',
    });

    expect(total).toBe(0);
    expect((await storedItem(userId))?.aiSpend).toBeUndefined();
  });

  it('rejects a user without an item and creates none', async () => {
    const budget = budgetAt({ now: DAY_ONE });

    await expect(budget.spend('no-such-user', CALL)).rejects.toThrow(AiSpendUserNotFoundError);
    expect(await storedItem('no-such-user')).toBeUndefined();
  });
});

describe('AiBudget.allow', () => {
  it('allows calls up to the limit', async () => {
    const userId = await createUser();
    const budget = budgetAt({ now: DAY_ONE }, 500);

    await budget.spend(userId, CALL);

    expect(await budget.allow(userId, '0.00029')).toBe(true);
    expect(await budget.allow(userId, '0.000291')).toBe(false);
  });

  it('denies past the limit and counts a budget fallback', async () => {
    const userId = await createUser();
    const budget = budgetAt({ now: DAY_ONE }, 400);
    const metrics = new RecordingMetrics();
    const meter = new AiCostMeter({ metrics });

    await budget.spend(userId, CALL);
    await budget.spend(userId, CALL);
    const allowed = await budget.allow(userId, '0.0001', { meter, operation: 'categorize' });

    expect(allowed).toBe(false);
    expect(metrics.count(METRICS.aiFallbacks, { operation: 'categorize', reason: 'budget' })).toBe(1);
  });

  it('counts no fallback when it allows', async () => {
    const userId = await createUser();
    const metrics = new RecordingMetrics();

    await budgetAt({ now: DAY_ONE }).allow(userId, '0.0001', {
      meter: new AiCostMeter({ metrics }),
      operation: 'ocr',
    });

    expect(metrics.points).toHaveLength(0);
  });

  it('allows again on the next UTC day', async () => {
    const userId = await createUser();
    const clock = { now: DAY_ONE };
    const budget = budgetAt(clock, CALL_MICRO_USD);

    await budget.spend(userId, CALL);
    const sameDay = await budget.allow(userId, '0.000001');
    clock.now = DAY_TWO;
    const nextDay = await budget.allow(userId, '0.000001');

    expect(sameDay).toBe(false);
    expect(nextDay).toBe(true);
  });

  it('denies every paid call with a limit of 0', async () => {
    const userId = await createUser();

    expect(await budgetAt({ now: DAY_ONE }, 0).allow(userId, '0.000001')).toBe(false);
  });
});

describe('budget amounts', () => {
  it.each([
    ['0.00021', 210],
    ['0.0001602', 161],
    ['0.0000001', 1],
    ['0', 0],
    ['0.05', 50_000],
  ])('converts $%s to %i micro-dollars, rounding up', (usd, micro) => {
    expect(toMicroUsd(usd)).toBe(micro);
  });

  it('takes the day in UTC', () => {
    expect(utcDayOf(Date.parse('2026-12-05T23:30:00-03:00'))).toBe('2026-12-06');
  });

  it('rejects a limit that is not whole micro-dollars', () => {
    expect(() => new AiBudget({ store, dailyLimitMicroUsd: 0.5 })).toThrow(/0.5 micro-dollars is invalid/);
  });
});
