import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ScheduledEvent } from 'aws-lambda';
import { createFxRefreshHandler } from '../../functions/fx-refresh/create-handler';
import { startFakeFx } from '../../infra/local/fake-fx/server';
import type { FakeFx } from '../../infra/local/fake-fx/types';
import { localLambdaContext } from '../../infra/local/lambda-context';
import { loadFxRefreshConfig } from '../../lib/config';
import { FxRefreshFailedError } from '../../lib/fx/errors';
import { DynamoFxRateStore } from '../../lib/fx/rate-store';
import { CapturingLogger } from '../support/capturing-logger';
import { fxEnvironment } from '../support/fx-environment';
import { createFxTables, type FxTables } from '../support/fx-tables';

const EVENT = JSON.parse(
  readFileSync(path.join(__dirname, '../../events/fx-refresh-scheduled.json'), 'utf8'),
) as ScheduledEvent;

let fake: FakeFx;
let tables: FxTables;

beforeAll(async () => {
  fake = await startFakeFx({ apiKey: 'sk-local-7f3a9c' });
});

afterAll(async () => {
  await fake.stop();
});

beforeEach(async () => {
  tables = await createFxTables('fx-handler');
});

afterEach(() => {
  tables.destroy();
});

function handlerWith(behaviours: Parameters<FakeFx['setBehaviour']>[] = []) {
  fake.setBehaviour('exchangerate-api', 'healthy');
  fake.setBehaviour('frankfurter', 'healthy');
  fake.setBehaviour('currency-api', 'healthy');
  for (const [provider, behaviour] of behaviours) {
    fake.setBehaviour(provider, behaviour);
  }
  const logger = new CapturingLogger('fx-refresh');
  const config = loadFxRefreshConfig(fxEnvironment(tables, fake));
  const handler = createFxRefreshHandler(config, {
    logger,
    dynamodb: tables.dynamodb,
    sleep: async () => {},
  });

  return { handler, logger, store: new DynamoFxRateStore(tables.client, tables.ratesTable) };
}

function logged(logger: CapturingLogger): Record<string, unknown>[] {
  return logger.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('fx-refresh handler', () => {
  it('stores the rates of the first provider that answers', async () => {
    const { handler, logger, store } = handlerWith([['exchangerate-api', 'quota-reached']]);

    const result = await handler(EVENT, localLambdaContext('fx-refresh', 60));
    const stored = await store.getLatest('USD');

    expect(result.status).toBe('complete');
    expect(
      Object.fromEntries(Object.entries(stored?.rates ?? {}).map(([code, rate]) => [code, rate.provider])),
    ).toEqual({
      EUR: 'frankfurter',
      BRL: 'frankfurter',
      PKR: 'currency-api',
      ARS: 'currency-api',
    });
    expect(logged(logger).map((line) => [line.level, line.message, line.provider])).toEqual([
      ['ERROR', 'FX provider needs operator action', 'exchangerate-api'],
      ['INFO', 'FX provider outcome', 'frankfurter'],
      ['INFO', 'FX provider outcome', 'currency-api'],
      ['INFO', 'FX refresh finished', undefined],
    ]);
  });

  it('logs each provider outcome with its error type and request count', async () => {
    const { handler, logger } = handlerWith([['exchangerate-api', 'invalid-key']]);

    await handler(EVENT, localLambdaContext('fx-refresh', 60));
    const [primary] = logged(logger);

    expect(primary).toMatchObject({
      provider: 'exchangerate-api',
      outcome: 'failed',
      failureClass: 'permanent',
      errorType: 'invalid-key',
      requests: 1,
      alert: true,
      function_name: 'fx-refresh',
    });
    expect(primary?.fix).toContain('FX_SECRET_ARN');
  });

  it('never logs the API key', async () => {
    const { handler, logger } = handlerWith([['exchangerate-api', 'html-503']]);

    await handler(EVENT, localLambdaContext('fx-refresh', 60));

    expect(logger.lines.length).toBeGreaterThan(0);
    expect(logger.lines.join('\n')).not.toContain(fake.apiKey);
  });

  it('fails the invocation when no provider gives a usable rate', async () => {
    const { handler, logger, store } = handlerWith([
      ['exchangerate-api', 'quota-reached'],
      ['frankfurter', 'html-503'],
      ['currency-api', 'empty-rates'],
    ]);

    const invocation = handler(EVENT, localLambdaContext('fx-refresh', 60));

    await expect(invocation).rejects.toBeInstanceOf(FxRefreshFailedError);
    await expect(invocation).rejects.toThrow(
      'No provider returned a usable rate against USD (exchangerate-api: quota-reached; frankfurter: http-503; currency-api: empty-rates)',
    );
    expect(logged(logger).at(-1)).toMatchObject({
      level: 'ERROR',
      message: 'FX refresh got no usable rate, so the stored rates were kept',
    });
    expect(await store.getLatest('USD')).toBeUndefined();
  });

  it('succeeds with a partial refresh and keeps the missing rate', async () => {
    const first = handlerWith();
    await first.handler(EVENT, localLambdaContext('fx-refresh', 60));
    const { handler, logger } = handlerWith([
      ['exchangerate-api', 'currency-missing'],
      ['currency-api', 'timeout'],
    ]);

    const result = await handler(EVENT, localLambdaContext('fx-refresh', 60));

    expect(result.status).toBe('partial');
    expect(result.keptLastGood.map(({ currency }) => currency)).toEqual(['ARS']);
    expect(logged(logger).at(-1)).toMatchObject({
      level: 'WARN',
      message: 'FX refresh finished without some currencies',
      keptLastGood: ['ARS'],
    });
  });
});
