import type { ScheduledEvent } from 'aws-lambda';
import { createFxRefreshHandler } from '../../functions/fx-refresh/create-handler';
import { startFakeFx } from '../../infra/local/fake-fx/server';
import type { FakeFx, FakeFxBehaviour, FakeFxProvider } from '../../infra/local/fake-fx/types';
import { localLambdaContext } from '../../infra/local/lambda-context';
import { loadFxRefreshConfig } from '../../lib/config';
import { METRICS } from '../../lib/observability/metric-names';
import { CapturingLogger } from '../support/capturing-logger';
import { fxEnvironment } from '../support/fx-environment';
import { createFxTables, type FxTables } from '../support/fx-tables';
import { FakeTracer } from '../unit/observability/fake-tracer';
import { RecordingMetrics } from '../unit/observability/recording-metrics';

const API_KEY = 'sk-local-observability-5d1e';
const EVENT = { 'detail-type': 'Scheduled Event', detail: {} } as ScheduledEvent;

let fake: FakeFx;
let tables: FxTables;

beforeAll(async () => {
  fake = await startFakeFx({ apiKey: API_KEY });
});

afterAll(async () => {
  await fake.stop();
});

beforeEach(async () => {
  tables = await createFxTables('fx-observability');
});

afterEach(() => {
  tables.destroy();
});

function wiredHandler(behaviours: Partial<Record<FakeFxProvider, FakeFxBehaviour>> = {}) {
  for (const provider of ['exchangerate-api', 'frankfurter', 'currency-api'] as const) {
    fake.setBehaviour(provider, behaviours[provider] ?? 'healthy');
  }
  const tracer = new FakeTracer('fx-refresh');
  const metrics = new RecordingMetrics();
  const handler = createFxRefreshHandler(loadFxRefreshConfig(fxEnvironment(tables, fake)), {
    tracer,
    metrics,
    logger: new CapturingLogger('fx-refresh'),
    dynamodb: tables.dynamodb,
    sleep: async () => {},
  });
  const invoke = () => handler(EVENT, localLambdaContext('fx-refresh', 60));

  return { invoke, tracer, metrics };
}

describe('fx-refresh function', () => {
  describe('tracing', () => {
    it('wraps the invocation in a closed handler subsegment', async () => {
      const { invoke, tracer } = wiredHandler();

      await invoke();

      expect(tracer.root.subsegments).toHaveLength(1);
      expect(tracer.root.subsegments[0]!.closed).toBe(true);
    });

    it('traces each provider request as a remote call', async () => {
      const { invoke, tracer } = wiredHandler({ 'exchangerate-api': 'quota-reached' });

      await invoke();

      const [handlerSegment] = tracer.root.subsegments;
      const calls = handlerSegment!.subsegments.filter((segment) => segment.name.startsWith('fx:'));
      expect(calls.map((segment) => segment.name)).toEqual([
        'fx:exchangerate-api.latest',
        'fx:frankfurter.latest',
        'fx:currency-api.latest',
      ]);
      expect(calls.map((segment) => segment.attributes.namespace)).toEqual(['remote', 'remote', 'remote']);
    });

    it('flags a provider that answers 503 as a fault', async () => {
      const { invoke, tracer } = wiredHandler({ 'exchangerate-api': 'html-503' });

      await invoke();

      // Two attempts: the first request and one retry.
      expect(tracer.named('fx:exchangerate-api.latest').map((segment) => segment.flags)).toEqual([
        ['fault'],
        ['fault'],
      ]);
    });

    it('keeps the API key out of the trace', async () => {
      const { invoke, tracer } = wiredHandler({ 'exchangerate-api': 'html-503' });

      await invoke();

      // The handler's result, with the provider's error type, is the trace's response metadata.
      expect(tracer.serialized()).toContain('http-503');
      expect(tracer.serialized()).not.toContain(API_KEY);
    });

    it('traces the DynamoDB and Secrets Manager clients', () => {
      const tracer = new FakeTracer('fx-refresh');
      const config = loadFxRefreshConfig({
        ...fxEnvironment(tables, fake),
        FX_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:financy-fx-AbCdEf',
      });

      // Building the handler sends no request, so the secret is never read here.
      createFxRefreshHandler(config, { tracer, logger: new CapturingLogger('fx-refresh') });

      expect(tracer.capturedClients).toEqual(
        expect.arrayContaining(['DynamoDBClient', 'SecretsManagerClient']),
      );
    });
  });

  describe('metrics', () => {
    it('counts the requests of each provider by outcome', async () => {
      const { invoke, metrics } = wiredHandler({ 'exchangerate-api': 'quota-reached' });

      await invoke();

      expect(
        metrics.named(METRICS.fxProviderRequests).map((point) => [point.dimensions, point.value]),
      ).toEqual([
        [{ provider: 'exchangerate-api', outcome: 'failed' }, 1],
        [{ provider: 'frankfurter', outcome: 'used' }, 1],
        [{ provider: 'currency-api', outcome: 'used' }, 1],
      ]);
    });

    it('counts the refresh outcome', async () => {
      const { invoke, metrics } = wiredHandler();

      await invoke();

      expect(metrics.count(METRICS.fxRefreshes, { outcome: 'complete' })).toBe(1);
    });

    it('records the age of the stored rates in seconds', async () => {
      const { invoke, metrics } = wiredHandler();

      await invoke();

      const [age] = metrics.named(METRICS.fxRatesAge);
      expect(age).toMatchObject({ dimensions: {}, unit: 'Seconds' });
      expect(age!.value).toBeGreaterThanOrEqual(0);
      expect(age!.value).toBeLessThan(60);
    });

    it('records the age of the kept rates when every provider fails', async () => {
      await wiredHandler().invoke();
      const { invoke, metrics } = wiredHandler({
        'exchangerate-api': 'html-503',
        frankfurter: 'html-503',
        'currency-api': 'html-503',
      });

      await expect(invoke()).rejects.toThrow('No provider returned a usable rate');

      expect(metrics.count(METRICS.fxRefreshes, { outcome: 'failed' })).toBe(1);
      expect(metrics.named(METRICS.fxRatesAge)).toHaveLength(1);
    });

    it('gives the resilience layer the provider as dependency', async () => {
      const { invoke, metrics } = wiredHandler({ 'exchangerate-api': 'html-503' });

      // Two failed attempts per refresh; the circuit opens at the fifth consecutive failure.
      for (let refresh = 0; refresh < 3; refresh += 1) {
        await invoke();
      }

      expect(metrics.count(METRICS.circuitOpened, { dependency: 'fx:exchangerate-api' })).toBe(1);
    });
  });
});
