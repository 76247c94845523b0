import { ConfigError, currency, type Env, integer, optional, required, url } from './environment';

/** Exchange-rate providers that the FX refresh can call, by id. */
export const FX_PROVIDER_IDS = ['exchangerate-api', 'frankfurter', 'currency-api'] as const;

/** An exchange-rate provider id. */
export type FxProviderId = (typeof FX_PROVIDER_IDS)[number];

/** Production base URL of each provider, overridden per provider by `FX_<PROVIDER>_BASE_URL`. */
const FX_DEFAULT_BASE_URLS: Readonly<Record<FxProviderId, string>> = {
  'exchangerate-api': 'https://v6.exchangerate-api.com',
  frankfurter: 'https://api.frankfurter.dev',
  'currency-api': 'https://cdn.jsdelivr.net/npm/@fawazahmed0/currency-api@latest',
};

/** Environment variable that overrides a provider's base URL, such as `FX_FRANKFURTER_BASE_URL`. */
export function fxBaseUrlVariable(provider: FxProviderId): string {
  return `FX_${provider.toUpperCase().replaceAll('-', '_')}_BASE_URL`;
}

/**
 * Source of the exchangerate-api key: a Secrets Manager secret on AWS (a JSON object with `apiKey`), or a
 * plain variable on the local stack.
 */
export type FxApiKeySource =
  | { kind: 'secrets-manager'; secretId: string; maxAgeSeconds: number }
  | { kind: 'environment'; apiKey: string };

/** Settings of the FX refresh function. */
export interface FxRefreshConfig {
  /** Table of the stored rates (FX_RATES_TABLE). */
  ratesTable: string;
  /** Table of the circuit breakers and token buckets (RESILIENCE_TABLE). */
  resilienceTable: string;
  /** Providers in the order they are tried. The first is the primary. */
  providers: FxProviderId[];
  /** ISO 4217 code that every stored rate is quoted against. */
  baseCurrency: string;
  /** ISO 4217 codes to keep rates for, without the base currency. */
  currencies: string[];
  /** Source of the exchangerate-api key, set whenever `providers` contains exchangerate-api. */
  exchangerateApiKey?: FxApiKeySource;
  /** Base URL of each provider's API, without a trailing slash. */
  baseUrls: Record<FxProviderId, string>;
  /** Time one HTTP request to a provider may take before it is aborted, in milliseconds. */
  requestTimeoutMs: number;
}

function currencyList(env: Env, name: string): string[] {
  const raw = required(env, name);
  const codes = raw.split(',').map((code) => code.trim().toUpperCase());
  const invalid = codes.filter((code) => !/^[A-Z]{3}$/.test(code));
  if (invalid.length > 0) {
    throw new ConfigError(
      name,
      `expected comma-separated ISO 4217 codes such as EUR,GBP,BRL, got "${raw}" (invalid: ${invalid.join(', ')}).`,
    );
  }

  return [...new Set(codes)];
}

function fxProviderList(env: Env): FxProviderId[] {
  const raw = optional(env, 'FX_PROVIDERS') ?? FX_PROVIDER_IDS.join(',');
  const names = raw.split(',').map((name) => name.trim().toLowerCase());
  const known: readonly string[] = FX_PROVIDER_IDS;
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new ConfigError(
      'FX_PROVIDERS',
      `unknown provider "${unknown.join('", "')}"; use a comma-separated list of ${FX_PROVIDER_IDS.join(', ')}.`,
    );
  }
  if (new Set(names).size !== names.length) {
    throw new ConfigError('FX_PROVIDERS', `lists a provider twice: "${raw}".`);
  }

  return names as FxProviderId[];
}

function fxApiKeySource(env: Env): FxApiKeySource {
  const secretId = optional(env, 'FX_SECRET_ARN');
  if (secretId !== undefined) {
    return {
      kind: 'secrets-manager',
      secretId,
      maxAgeSeconds: integer(env, 'SECRETS_CACHE_SECONDS', 300, 0, 86_400),
    };
  }

  const apiKey = optional(env, 'FX_EXCHANGERATE_API_KEY');
  if (apiKey === undefined) {
    throw new ConfigError(
      'FX_SECRET_ARN',
      'FX_PROVIDERS contains exchangerate-api, which needs an API key: set FX_SECRET_ARN to the Secrets ' +
        'Manager secret holding {"apiKey": "..."}, or set FX_EXCHANGERATE_API_KEY for local use, or remove ' +
        'exchangerate-api from FX_PROVIDERS.',
    );
  }

  return { kind: 'environment', apiKey };
}

/** Reads the FX refresh function's settings. */
export function loadFxRefreshConfig(env: Env = process.env): FxRefreshConfig {
  const providers = fxProviderList(env);
  const baseCurrency = currency(env, 'FX_BASE_CURRENCY', 'USD');
  const currencies = currencyList(env, 'FX_CURRENCIES').filter((code) => code !== baseCurrency);
  if (currencies.length === 0) {
    throw new ConfigError('FX_CURRENCIES', `lists no currency other than the base currency ${baseCurrency}.`);
  }
  const baseUrls = Object.fromEntries(
    FX_PROVIDER_IDS.map((provider) => [
      provider,
      url(env, fxBaseUrlVariable(provider), FX_DEFAULT_BASE_URLS[provider]),
    ]),
  ) as Record<FxProviderId, string>;

  return {
    ratesTable: required(env, 'FX_RATES_TABLE'),
    resilienceTable: required(env, 'RESILIENCE_TABLE'),
    providers,
    baseCurrency,
    currencies,
    exchangerateApiKey: providers.includes('exchangerate-api') ? fxApiKeySource(env) : undefined,
    baseUrls,
    requestTimeoutMs: integer(env, 'FX_REQUEST_TIMEOUT_MS', 5_000, 100, 30_000),
  };
}
