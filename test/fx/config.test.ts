import { ConfigError, loadFxRefreshConfig } from '../../lib/config';

const BASE_ENVIRONMENT = {
  FX_RATES_TABLE: 'rates',
  RESILIENCE_TABLE: 'resilience',
  FX_CURRENCIES: 'eur, BRL,USD,brl',
  FX_EXCHANGERATE_API_KEY: 'key',
};

function configError(environment: Record<string, string>): ConfigError {
  try {
    loadFxRefreshConfig(environment);
  } catch (error) {
    return error as ConfigError;
  }
  throw new Error('loadFxRefreshConfig accepted an invalid environment');
}

describe('loadFxRefreshConfig', () => {
  it('applies the defaults', () => {
    const config = loadFxRefreshConfig(BASE_ENVIRONMENT);

    expect(config).toEqual({
      ratesTable: 'rates',
      resilienceTable: 'resilience',
      providers: ['exchangerate-api', 'frankfurter', 'currency-api'],
      baseCurrency: 'USD',
      currencies: ['EUR', 'BRL'],
      exchangerateApiKey: { kind: 'environment', apiKey: 'key' },
      baseUrls: {
        'exchangerate-api': 'https://v6.exchangerate-api.com',
        frankfurter: 'https://api.frankfurter.dev',
        'currency-api': 'https://cdn.jsdelivr.net/npm/@fawazahmed0/currency-api@latest',
      },
      requestTimeoutMs: 5_000,
    });
  });

  it('reads the provider order and per-provider base URLs', () => {
    const config = loadFxRefreshConfig({
      ...BASE_ENVIRONMENT,
      FX_PROVIDERS: 'currency-api, frankfurter',
      FX_FRANKFURTER_BASE_URL: 'http://127.0.0.1:4000/frankfurter/',
    });

    expect(config.providers).toEqual(['currency-api', 'frankfurter']);
    expect(config.baseUrls.frankfurter).toBe('http://127.0.0.1:4000/frankfurter');
    expect(config.exchangerateApiKey).toBeUndefined();
  });

  it('reads the key from Secrets Manager when FX_SECRET_ARN is set', () => {
    const config = loadFxRefreshConfig({
      ...BASE_ENVIRONMENT,
      FX_SECRET_ARN: 'arn:fx',
      SECRETS_CACHE_SECONDS: '60',
    });

    expect(config.exchangerateApiKey).toEqual({
      kind: 'secrets-manager',
      secretId: 'arn:fx',
      maxAgeSeconds: 60,
    });
  });

  it.each([
    ['FX_RATES_TABLE', { FX_RATES_TABLE: '' }],
    ['FX_CURRENCIES', { FX_CURRENCIES: '' }],
    ['FX_CURRENCIES', { FX_CURRENCIES: 'EUR,euro' }],
    ['FX_CURRENCIES', { FX_CURRENCIES: 'USD' }],
    ['FX_PROVIDERS', { FX_PROVIDERS: 'exchangerate-api,fixer' }],
    ['FX_PROVIDERS', { FX_PROVIDERS: 'frankfurter,frankfurter' }],
    ['FX_BASE_CURRENCY', { FX_BASE_CURRENCY: 'dollar' }],
    ['FX_SECRET_ARN', { FX_EXCHANGERATE_API_KEY: '' }],
    ['FX_CURRENCY_API_BASE_URL', { FX_CURRENCY_API_BASE_URL: 'not a url' }],
    ['FX_REQUEST_TIMEOUT_MS', { FX_REQUEST_TIMEOUT_MS: '50' }],
  ])('fails fast naming %s', (variable, overrides) => {
    const error = configError({ ...BASE_ENVIRONMENT, ...overrides });

    expect(error).toBeInstanceOf(ConfigError);
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(`${variable}: `)).toBe(true);
  });
});
