/** Providers that the fake serves, each under its own path prefix. */
export type FakeFxProvider = 'exchangerate-api' | 'frankfurter' | 'currency-api';

/** Every provider of the fake. */
export const FAKE_FX_PROVIDERS: readonly FakeFxProvider[] = [
  'exchangerate-api',
  'frankfurter',
  'currency-api',
];

/**
 * Named behaviours of a fake provider:
 * - `healthy`: the provider's success shape with the sample rates it covers;
 * - `quota-reached`, `invalid-key`, `inactive-account`, `unsupported-code`, `malformed-request`,
 *   `plan-upgrade-required`, `no-data-available`: the error of that type (each provider's own 404 shape for
 *   `unsupported-code`, ExchangeRate-API's envelope for the others);
 * - `missing-access-key`: the apilayer-style body of an API that began to require a key;
 * - `html-503`: HTTP 503 with an HTML page; `html-200`: HTTP 200 with an HTML page;
 * - `timeout`: the request is accepted and gets no response;
 * - `empty-rates`: a success shape with an empty rates object;
 * - `currency-missing`: healthy without ARS; `currency-null`: healthy with PKR null;
 * - `base-swapped`: a success shape quoted against EUR whatever base was requested.
 */
export type FakeFxScenario =
  | 'healthy'
  | 'quota-reached'
  | 'invalid-key'
  | 'inactive-account'
  | 'unsupported-code'
  | 'malformed-request'
  | 'plan-upgrade-required'
  | 'no-data-available'
  | 'missing-access-key'
  | 'html-503'
  | 'html-200'
  | 'timeout'
  | 'empty-rates'
  | 'currency-missing'
  | 'currency-null'
  | 'base-swapped';

/** Every named scenario, for command-line validation. */
export const FAKE_FX_SCENARIOS: readonly FakeFxScenario[] = [
  'healthy',
  'quota-reached',
  'invalid-key',
  'inactive-account',
  'unsupported-code',
  'malformed-request',
  'plan-upgrade-required',
  'no-data-available',
  'missing-access-key',
  'html-503',
  'html-200',
  'timeout',
  'empty-rates',
  'currency-missing',
  'currency-null',
  'base-swapped',
];

/** A fixed reply, such as a recorded provider response. A string body is sent as it is. */
export interface FakeFxFixedReply {
  status: number;
  body: unknown;
  contentType?: string;
}

/** Behaviour of a provider: a named scenario or a fixed reply. */
export type FakeFxBehaviour = FakeFxScenario | FakeFxFixedReply;

/** A request that the fake received. */
export interface RecordedFxRequest {
  provider: FakeFxProvider;
  /** Path and query, with an ExchangeRate-API key replaced by `<key>`. */
  path: string;
  status: number | 'no-response';
}

/** Options of `startFakeFx`. */
export interface FakeFxOptions {
  /** @default 0, a free port */
  port?: number;
  /**
   * The ExchangeRate-API key that the fake accepts; other keys get `invalid-key`.
   * @default 'local-fx-key'
   */
  apiKey?: string;
  /** Clock of the rates' dates. @default Date.now */
  now?: () => number;
  /** Initial behaviour per provider. @default 'healthy' for each */
  behaviours?: Partial<Record<FakeFxProvider, FakeFxBehaviour>>;
}

/** A running fake. */
export interface FakeFx {
  /** Root URL, such as `http://127.0.0.1:43123`. */
  readonly url: string;
  /** Base URL of each provider, to put in `FX_<PROVIDER>_BASE_URL`. */
  readonly baseUrls: Readonly<Record<FakeFxProvider, string>>;
  readonly apiKey: string;
  readonly requests: RecordedFxRequest[];
  /** Changes the behaviour of a provider from the next request on. */
  setBehaviour(provider: FakeFxProvider, behaviour: FakeFxBehaviour): void;
  stop(): Promise<void>;
}
