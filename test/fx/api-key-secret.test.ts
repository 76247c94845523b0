import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { ScheduledEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { createFxRefreshHandler } from '../../functions/fx-refresh/create-handler';
import { startFakeFx } from '../../infra/local/fake-fx/server';
import type { FakeFx, FakeFxProvider } from '../../infra/local/fake-fx/types';
import { localLambdaContext } from '../../infra/local/lambda-context';
import { type FxApiKeySource, loadFxRefreshConfig } from '../../lib/config';
import { createFxApiKeyLoader } from '../../lib/fx/api-key';
import { createFxRefreshDependencies } from '../../lib/fx/create-dependencies';
import { FxApiKeyFormatError } from '../../lib/fx/errors';
import { SILENT_LOGGER } from '../../lib/resilience/logger';
import { ManualClock } from '../resilience/support';
import { CapturingLogger } from '../support/capturing-logger';
import { fxEnvironment } from '../support/fx-environment';
import { createFxTables, type FxTables } from '../support/fx-tables';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:financy-test-fx-key-AbCdEf';
// The fixtures of the fake providers date their rates 2024-06-05; providers reject older data.
const START_MS = Date.parse('2024-06-06T00:30:00Z');
const HOUR_MS = 3_600_000;
const EVENT = JSON.parse(
  readFileSync(path.join(__dirname, '../../events/fx-refresh-scheduled.json'), 'utf8'),
) as ScheduledEvent;

const secretsManager = mockClient(SecretsManagerClient);
let fake: FakeFx;
let clock: ManualClock;
let tables: FxTables;

beforeAll(async () => {
  clock = new ManualClock(START_MS);
  fake = await startFakeFx({ apiKey: 'sk-fx-test-4d1e', now: () => clock.nowMs });
});

afterAll(async () => {
  secretsManager.restore();
  await fake.stop();
});

beforeEach(async () => {
  clock.nowMs = START_MS;
  secretsManager.reset();
  tables = await createFxTables('fx-api-key');
  for (const provider of ['exchangerate-api', 'frankfurter', 'currency-api'] as const) {
    fake.setBehaviour(provider, 'healthy');
  }
});

afterEach(() => {
  tables.destroy();
});

/** Makes GetSecretValue return `secretString` for the FX key secret. */
function storeSecret(secretString: string): void {
  secretsManager.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({
    ARN: SECRET_ARN,
    SecretString: secretString,
  });
}

/** Returns a loader that reads the key secret through the mocked client on every call, without caching. */
function secretLoader() {
  const source: FxApiKeySource = { kind: 'secrets-manager', secretId: SECRET_ARN, maxAgeSeconds: 0 };

  return createFxApiKeyLoader(source, new SecretsProvider({ awsSdkV3Client: new SecretsManagerClient({}) }));
}

function refresherWithSecret() {
  const config = loadFxRefreshConfig(fxEnvironment(tables, fake));

  return createFxRefreshDependencies(config, SILENT_LOGGER, () => 60_000, {
    dynamodb: tables.dynamodb,
    loadApiKey: secretLoader(),
    now: clock.now,
    sleep: clock.sleep,
  });
}

function requestsTo(provider: FakeFxProvider, since: number): number {
  return fake.requests.slice(since).filter((request) => request.provider === provider).length;
}

describe('createFxApiKeyLoader', () => {
  it('returns the apiKey field of the secret', async () => {
    storeSecret(JSON.stringify({ apiKey: 'sk-fx-test-4d1e' }));

    await expect(secretLoader()()).resolves.toBe('sk-fx-test-4d1e');
  });

  it.each([
    ['an empty object', '{}', 'missing-api-key', 'has no apiKey field'],
    ['an empty apiKey', '{"apiKey":""}', 'invalid-api-key', 'not a non-empty string'],
    ['a numeric apiKey', '{"apiKey":7301}', 'invalid-api-key', 'not a non-empty string'],
    ['a JSON array', '["sk-in-array-5c2b"]', 'not-an-object', 'is not a JSON object'],
    ['plain text', 'sk-plain-text-9a8b', 'not-json', 'is not valid JSON'],
  ])('rejects %s', async (_label, secretString, problem, description) => {
    storeSecret(secretString);

    const error = await secretLoader()().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(FxApiKeyFormatError);
    expect(error).toMatchObject({ secretId: SECRET_ARN, problem });
    const { message } = error as FxApiKeyFormatError;
    expect(message).toContain('FX_SECRET_ARN');
    expect(message).toContain(SECRET_ARN);
    expect(message).toContain('apiKey');
    expect(message).toContain(description);
    expect(message).not.toContain('sk-');
  });
});

describe('FxRefresher with a key secret without apiKey', () => {
  it('disables only exchangerate-api and uses the fallbacks', async () => {
    storeSecret('{}');
    const { refresher, store } = refresherWithSecret();
    const since = fake.requests.length;

    const result = await refresher.refresh();
    const statuses = await store.getProviderStatuses('USD');

    expect(result.status).toBe('complete');
    expect(result.providers.map(({ provider, outcome }) => [provider, outcome])).toEqual([
      ['exchangerate-api', 'failed'],
      ['frankfurter', 'used'],
      ['currency-api', 'used'],
    ]);
    expect(result.providers[0]).toMatchObject({
      failureClass: 'permanent',
      errorType: 'secret-format',
      requests: 0,
      retryAfterEpochMs: START_MS + 24 * HOUR_MS,
    });
    expect(result.providers[0]?.fix).toContain('FX_SECRET_ARN');
    expect(result.providers[0]?.fix).toContain('apiKey');
    expect(requestsTo('exchangerate-api', since)).toBe(0);
    expect(statuses.get('exchangerate-api')).toMatchObject({ errorType: 'secret-format' });
  });

  it('skips exchangerate-api while the secret stays unchanged', async () => {
    storeSecret('{}');
    const { refresher } = refresherWithSecret();
    await refresher.refresh();
    clock.advance(HOUR_MS);

    const second = await refresher.refresh();

    expect(second.status).toBe('complete');
    expect(second.providers[0]).toMatchObject({ outcome: 'disabled', errorType: 'secret-format' });
  });

  it('uses exchangerate-api again once the secret holds a key', async () => {
    storeSecret('{}');
    const { refresher, store } = refresherWithSecret();
    await refresher.refresh();
    clock.advance(HOUR_MS);
    storeSecret(JSON.stringify({ apiKey: fake.apiKey }));

    const fixed = await refresher.refresh();
    const statuses = await store.getProviderStatuses('USD');

    expect(fixed.status).toBe('complete');
    expect(fixed.providers[0]).toMatchObject({ outcome: 'used', requests: 1 });
    expect(statuses.size).toBe(0);
  });

  it('goes on with the fallbacks when the secret cannot be read', async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const { refresher, store } = refresherWithSecret();

    const result = await refresher.refresh();

    expect(result.status).toBe('complete');
    expect(result.providers[0]).toMatchObject({ outcome: 'failed', failureClass: 'transient' });
    expect((await store.getProviderStatuses('USD')).size).toBe(0);
  });
});

describe('FxRefresher when the failure cannot be recorded', () => {
  it('warns and tries the provider again next refresh', async () => {
    fake.setBehaviour('exchangerate-api', 'invalid-key');
    const warnings: [string, Record<string, unknown>][] = [];
    const logger = {
      ...SILENT_LOGGER,
      warn: (message: string, extra: Record<string, unknown>) => {
        warnings.push([message, extra]);
      },
    };
    // The first read gives the key that the provider rejects, and the read for the fingerprint fails.
    let reads = 0;
    const loadApiKey = async () => {
      reads += 1;
      if (reads > 1) {
        throw new Error('Secrets Manager timed out');
      }
      return 'revoked-key';
    };
    const config = loadFxRefreshConfig(fxEnvironment(tables, fake));
    const { refresher, store } = createFxRefreshDependencies(config, logger, () => 60_000, {
      dynamodb: tables.dynamodb,
      loadApiKey,
      now: clock.now,
      sleep: clock.sleep,
    });

    const result = await refresher.refresh();

    expect(result.status).toBe('complete');
    expect(result.providers[0]).toMatchObject({ outcome: 'failed', errorType: 'invalid-key' });
    expect(result.providers[0]?.retryAfterEpochMs).toBeUndefined();
    expect((await store.getProviderStatuses('USD')).size).toBe(0);
    expect(warnings).toContainEqual([
      'Could not record the FX provider configuration failure',
      {
        provider: 'exchangerate-api',
        baseCurrency: 'USD',
        errorType: 'invalid-key',
        fingerprintError: 'Error',
      },
    ]);
  });
});

describe('fx-refresh handler with a key secret without apiKey', () => {
  it('alerts on exchangerate-api without the secret value', async () => {
    storeSecret('{"apiKey":"","note":"sk-planted-note-6f0d"}');
    const logger = new CapturingLogger('fx-refresh');
    const handler = createFxRefreshHandler(loadFxRefreshConfig(fxEnvironment(tables, fake)), {
      logger,
      dynamodb: tables.dynamodb,
      loadApiKey: secretLoader(),
      now: clock.now,
      sleep: clock.sleep,
    });

    const result = await handler(EVENT, localLambdaContext('fx-refresh', 60));
    const lines = logger.lines.map((line) => JSON.parse(line) as Record<string, unknown>);

    expect(result.status).toBe('complete');
    expect(lines[0]).toMatchObject({
      level: 'ERROR',
      message: 'FX provider needs operator action',
      provider: 'exchangerate-api',
      errorType: 'secret-format',
      alert: true,
    });
    expect(String(lines[0]?.fix)).toContain('FX_SECRET_ARN');
    expect(logger.lines.join('\n')).not.toContain('sk-planted-note-6f0d');
  });
});
