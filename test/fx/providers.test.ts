import { startFakeFx } from '../../infra/local/fake-fx/server';
import type { FakeFx, FakeFxProvider } from '../../infra/local/fake-fx/types';
import type { FxProviderError } from '../../lib/fx/errors';
import { FetchFxHttpClient } from '../../lib/fx/http';
import { CurrencyApiProvider } from '../../lib/fx/providers/currency-api';
import { ExchangerateApiProvider } from '../../lib/fx/providers/exchangerate-api';
import { FrankfurterProvider } from '../../lib/fx/providers/frankfurter';
import type { RateProvider } from '../../lib/fx/types';
import errorEnvelopes from './fixtures/fx-error-envelopes.json';
import missingNullEmptySwapped from './fixtures/fx-missing-null-empty-swapped.json';

// The fixtures date their rates 2024-06-05; the providers reject data more than seven days old.
const NOW_MS = Date.parse('2024-06-06T00:30:00Z');
const NEEDED = missingNullEmptySwapped.needed_codes;

let fake: FakeFx;
let providers: Record<FakeFxProvider, RateProvider>;

beforeAll(async () => {
  fake = await startFakeFx({ now: () => NOW_MS });
  const http = new FetchFxHttpClient(300);
  const now = () => NOW_MS;
  providers = {
    'exchangerate-api': new ExchangerateApiProvider({
      baseUrl: fake.baseUrls['exchangerate-api'],
      apiKey: async () => fake.apiKey,
      http,
      now,
    }),
    frankfurter: new FrankfurterProvider({ baseUrl: fake.baseUrls.frankfurter, http, now }),
    'currency-api': new CurrencyApiProvider({ baseUrl: fake.baseUrls['currency-api'], http, now }),
  };
});

afterAll(async () => {
  await fake.stop();
});

async function failureOf(provider: RateProvider, base = 'USD'): Promise<FxProviderError> {
  try {
    await provider.fetchLatest({ base, currencies: NEEDED });
  } catch (error) {
    return error as FxProviderError;
  }
  throw new Error(`${provider.id} accepted a response that it should reject`);
}

const PROVIDER_IDS: FakeFxProvider[] = ['exchangerate-api', 'frankfurter', 'currency-api'];

describe('providers on healthy responses', () => {
  it.each(PROVIDER_IDS)('%s returns exact rates with the provider time', async (id) => {
    fake.setBehaviour(id, 'healthy');

    const result = await providers[id].fetchLatest({ base: 'USD', currencies: ['EUR', 'BRL'] });

    expect(Object.fromEntries(result.rates)).toEqual({ EUR: '0.92', BRL: '5.31' });
    expect(result.providerUpdatedAt.startsWith('2024-06-06')).toBe(true);
  });

  it('frankfurter reports the ECB gaps per currency', async () => {
    fake.setBehaviour('frankfurter', 'healthy');

    const result = await providers.frankfurter.fetchLatest({ base: 'USD', currencies: NEEDED });

    expect([...result.rates.keys()]).toEqual(['EUR', 'BRL']);
    expect(Object.fromEntries(result.rejected)).toEqual({ PKR: 'missing', ARS: 'missing' });
  });

  it('never sends the API key anywhere but the exchangerate-api path', async () => {
    fake.setBehaviour('exchangerate-api', 'healthy');
    const before = fake.requests.length;

    await providers['exchangerate-api'].fetchLatest({ base: 'USD', currencies: ['EUR'] });

    expect(fake.requests.slice(before).map((request) => request.path)).toEqual(['/v6/<key>/latest/USD']);
  });
});

describe('providers on error envelopes', () => {
  // Each recorded envelope, served with its recorded status (200 where none was recorded) by every
  // provider: the envelope decides, whatever the status and whichever provider sent it.
  const expectations: Record<string, { name: string; failureClass: string; errorType: string }> = {
    'quota-reached': { name: 'FxQuotaExceededError', failureClass: 'quota', errorType: 'quota-reached' },
    'invalid-key': {
      name: 'FxProviderConfigurationError',
      failureClass: 'permanent',
      errorType: 'invalid-key',
    },
    'inactive-account': {
      name: 'FxProviderConfigurationError',
      failureClass: 'permanent',
      errorType: 'inactive-account',
    },
    'unsupported-code': {
      name: 'FxProviderConfigurationError',
      failureClass: 'permanent',
      errorType: 'unsupported-code',
    },
    missing_access_key: {
      name: 'FxProviderConfigurationError',
      failureClass: 'permanent',
      errorType: 'missing_access_key',
    },
    html: { name: 'FxProviderUnavailableError', failureClass: 'transient', errorType: 'http-503' },
  };
  const cases = errorEnvelopes.responses.flatMap((response) => {
    const body = response.body as unknown;
    const key =
      typeof body === 'string'
        ? 'html'
        : ((body as { 'error-type'?: string })['error-type'] ??
          (body as { error?: { type?: string } }).error?.type ??
          'unknown');

    return PROVIDER_IDS.map((id) => [key, id, response.http_status ?? 200, body] as const);
  });

  it.each(cases)('classifies %s from %s', async (key, id, status, body) => {
    fake.setBehaviour(id, { status, body });

    const error = await failureOf(providers[id]);

    expect(error).toMatchObject(expectations[key]!);
    expect(error.provider).toBe(id);
  });

  it.each(PROVIDER_IDS)('classifies the same quota envelope with HTTP 429 from %s', async (id) => {
    fake.setBehaviour(id, { status: 429, body: errorEnvelopes.responses[0]!.body });

    const error = await failureOf(providers[id]);

    expect(error.failureClass).toBe('quota');
    expect(error.errorType).toBe('quota-reached');
  });

  it.each([
    ['quota-reached', 'quota'],
    ['invalid-key', 'permanent'],
    ['inactive-account', 'permanent'],
    ['malformed-request', 'permanent'],
    ['plan-upgrade-required', 'permanent'],
    ['no-data-available', 'transient'],
  ] as const)(
    'classifies the fake exchangerate-api %s with its own status',
    async (scenario, failureClass) => {
      fake.setBehaviour('exchangerate-api', scenario);

      const error = await failureOf(providers['exchangerate-api']);

      expect(error.errorType).toBe(scenario);
      expect(error.failureClass).toBe(failureClass);
    },
  );

  it('rejects a wrong API key as invalid-key', async () => {
    fake.setBehaviour('exchangerate-api', 'healthy');
    const provider = new ExchangerateApiProvider({
      baseUrl: fake.baseUrls['exchangerate-api'],
      apiKey: async () => 'not-the-key',
      http: new FetchFxHttpClient(300),
      now: () => NOW_MS,
    });

    const error = await failureOf(provider);

    expect(error.errorType).toBe('invalid-key');
    expect(error.failureClass).toBe('permanent');
    expect(error.message).not.toContain('not-the-key');
  });
});

describe('providers on unsupported codes', () => {
  it.each(PROVIDER_IDS)('%s reports its own 404 shape as a configuration error', async (id) => {
    fake.setBehaviour(id, 'healthy');

    const error = await failureOf(providers[id], 'XXX');

    expect(error.name).toBe('FxProviderConfigurationError');
    expect(error.errorType).toBe('unsupported-code');
    expect(error.message).toContain('FX_BASE_CURRENCY');
  });
});

describe('providers on transport failures', () => {
  it.each(PROVIDER_IDS)('%s times out as a transient failure', async (id) => {
    fake.setBehaviour(id, 'timeout');

    const error = await failureOf(providers[id]);

    expect(error).toMatchObject({ name: 'FxProviderUnavailableError', errorType: 'timeout' });
  });

  it.each(PROVIDER_IDS)('%s answers an HTML page with 200 as a transient failure', async (id) => {
    fake.setBehaviour(id, 'html-200');

    const error = await failureOf(providers[id]);

    expect(error).toMatchObject({ failureClass: 'transient', errorType: 'not-json' });
  });

  it('reports a refused connection as a network failure', async () => {
    const provider = new FrankfurterProvider({
      baseUrl: 'http://127.0.0.1:9',
      http: new FetchFxHttpClient(300),
      now: () => NOW_MS,
    });

    const error = await failureOf(provider);

    expect(error).toMatchObject({ failureClass: 'transient', errorType: 'network' });
  });
});

describe('providers on missing, null, empty and swapped rates', () => {
  const [absent, nullRate, empty, swapped] = missingNullEmptySwapped.responses;

  it('exchangerate-api takes the present rates and reports ARS missing', async () => {
    fake.setBehaviour('exchangerate-api', { status: 200, body: absent!.body });

    const result = await providers['exchangerate-api'].fetchLatest({ base: 'USD', currencies: NEEDED });

    expect(Object.fromEntries(result.rates)).toEqual({ EUR: '0.92', BRL: '5.31', PKR: '278.1' });
    expect(Object.fromEntries(result.rejected)).toEqual({ ARS: 'missing' });
    expect(result.providerUpdatedAt).toBe('2024-06-05T23:00:00.000Z');
  });

  it('frankfurter takes the present rates and reports PKR null', async () => {
    fake.setBehaviour('frankfurter', { status: 200, body: nullRate!.body });

    const result = await providers.frankfurter.fetchLatest({ base: 'USD', currencies: NEEDED });

    expect(Object.fromEntries(result.rates)).toEqual({ EUR: '0.92', BRL: '5.31', ARS: '899.5' });
    expect(Object.fromEntries(result.rejected)).toEqual({ PKR: 'null' });
    expect([...result.rates.values()].every((rate) => rate !== 'NaN')).toBe(true);
  });

  it('frankfurter rejects an empty rates object as a whole', async () => {
    fake.setBehaviour('frankfurter', { status: 200, body: empty!.body });

    const error = await failureOf(providers.frankfurter);

    expect(error).toMatchObject({ name: 'FxInvalidResponseError', errorType: 'empty-rates' });
  });

  it('frankfurter rejects rates quoted against another base than the requested one', async () => {
    fake.setBehaviour('frankfurter', { status: 200, body: swapped!.body });

    const error = await failureOf(providers.frankfurter, swapped!.request_base);

    expect(error).toMatchObject({ name: 'FxProviderConfigurationError', errorType: 'base-mismatch' });
    expect(error.message).toContain('requested TMM, got EUR');
  });

  it.each(['exchangerate-api', 'currency-api'] as const)('%s rejects a body in another shape', async (id) => {
    for (const response of [nullRate, empty, swapped]) {
      fake.setBehaviour(id, { status: 200, body: response!.body });

      const error = await failureOf(providers[id]);

      expect(error.failureClass).not.toBe('quota');
      expect(error.name).toMatch(/FxInvalidResponseError|FxProviderConfigurationError/);
    }
  });

  it.each(PROVIDER_IDS)('%s rejects the base-swapped scenario of the fake', async (id) => {
    fake.setBehaviour(id, 'base-swapped');

    const error = await failureOf(providers[id]);

    expect(error.errorType).toBe('base-mismatch');
  });
});
