import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  exchangerateApiError,
  type FakeReply,
  htmlReply,
  jsonReply,
  missingAccessKeyReply,
  successReply,
  toJsonText,
  unsupportedCodeReply,
} from './responses';
import { ALL_SAMPLE_CURRENCIES, ECB_CURRENCIES, sampleRates } from './sample-rates';
import {
  FAKE_FX_PROVIDERS,
  type FakeFx,
  type FakeFxBehaviour,
  type FakeFxOptions,
  type FakeFxProvider,
  type RecordedFxRequest,
} from './types';

export type * from './types';

/**
 * Starts fake exchange-rate providers on 127.0.0.1, one path prefix per provider, each speaking its
 * documented protocol:
 * - `GET /exchangerate-api/v6/<key>/latest/<BASE>` (ExchangeRate-API v6);
 * - `GET /frankfurter/v1/latest?base=<BASE>[&symbols=A,B]` (Frankfurter v1, ECB currencies only);
 * - `GET /currency-api/v1/currencies/<base>.json` or `.min.json` (fawazahmed0's currency-api).
 * Each provider returns healthy responses, or fails in the way that `setBehaviour` selects.
 */
export async function startFakeFx(options: FakeFxOptions = {}): Promise<FakeFx> {
  const fake = new FakeFxServer(options);
  await fake.listen(options.port ?? 0);

  return fake;
}

/** Request paths per provider, after its prefix. */
const ROUTES: Readonly<Record<FakeFxProvider, RegExp>> = {
  'exchangerate-api': /^\/v6\/([^/]+)\/latest\/([^/]+)$/,
  frankfurter: /^\/v1\/latest$/,
  'currency-api': /^\/v1\/currencies\/([^/.]+)(?:\.min)?\.json$/,
};

class FakeFxServer implements FakeFx {
  url = '';
  baseUrls = {} as Record<FakeFxProvider, string>;
  readonly apiKey: string;
  readonly requests: RecordedFxRequest[] = [];
  readonly #behaviours = new Map<FakeFxProvider, FakeFxBehaviour>();
  readonly #now: () => number;
  readonly #http: Server;

  constructor(options: FakeFxOptions) {
    this.apiKey = options.apiKey ?? 'local-fx-key';
    this.#now = options.now ?? Date.now;
    for (const provider of FAKE_FX_PROVIDERS) {
      this.#behaviours.set(provider, options.behaviours?.[provider] ?? 'healthy');
    }
    this.#http = createServer((request, response) => this.#handle(request, response));
  }

  async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#http.once('error', reject);
      this.#http.listen(port, '127.0.0.1', () => resolve());
    });

    const address = this.#http.address() as AddressInfo;
    this.url = `http://127.0.0.1:${address.port}`;
    this.baseUrls = Object.fromEntries(
      FAKE_FX_PROVIDERS.map((provider) => [provider, `${this.url}/${provider}`]),
    ) as Record<FakeFxProvider, string>;
  }

  setBehaviour(provider: FakeFxProvider, behaviour: FakeFxBehaviour): void {
    this.#behaviours.set(provider, behaviour);
  }

  async stop(): Promise<void> {
    // Requests held by the `timeout` behaviour would keep close() waiting.
    this.#http.closeAllConnections();
    await new Promise<void>((resolve) => this.#http.close(() => resolve()));
  }

  #handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const [, prefix = '', ...rest] = url.pathname.split('/');
    const provider = FAKE_FX_PROVIDERS.find((candidate) => candidate === prefix);
    if (provider === undefined || request.method !== 'GET') {
      this.#send(response, jsonReply(404, { message: 'not found' }));
      return;
    }

    const path = `/${rest.join('/')}`;
    const recorded: RecordedFxRequest = {
      provider,
      path: `${path.replace(/^\/v6\/[^/]+\//, '/v6/<key>/')}${url.search}`,
      status: 'no-response',
    };
    this.requests.push(recorded);

    const reply = this.#reply(provider, path, url.searchParams);
    if (reply === undefined) {
      return;
    }
    recorded.status = reply.status;
    this.#send(response, reply);
  }

  /** Returns the reply, or undefined to leave the request unanswered. */
  #reply(provider: FakeFxProvider, path: string, query: URLSearchParams): FakeReply | undefined {
    const match = ROUTES[provider].exec(path);
    if (match === null) {
      return provider === 'exchangerate-api'
        ? exchangerateApiError('malformed-request')
        : unsupportedCodeReply(provider, path);
    }

    const behaviour = this.#behaviours.get(provider) ?? 'healthy';
    if (typeof behaviour === 'object') {
      const body = typeof behaviour.body === 'string' ? behaviour.body : toJsonText(behaviour.body);
      const contentType =
        behaviour.contentType ?? (typeof behaviour.body === 'string' ? 'text/html' : 'application/json');
      return { status: behaviour.status, contentType, body };
    }

    let base: string;
    if (provider === 'exchangerate-api') {
      if (decodeURIComponent(match[1] ?? '') !== this.apiKey) {
        return exchangerateApiError('invalid-key');
      }
      base = (match[2] ?? '').toUpperCase();
    } else if (provider === 'frankfurter') {
      base = (query.get('base') ?? query.get('from') ?? 'EUR').toUpperCase();
    } else {
      base = (match[1] ?? '').toUpperCase();
    }

    return this.#scenarioReply(provider, behaviour, base, path, query);
  }

  #scenarioReply(
    provider: FakeFxProvider,
    scenario: Exclude<FakeFxBehaviour, object>,
    base: string,
    path: string,
    query: URLSearchParams,
  ): FakeReply | undefined {
    switch (scenario) {
      case 'timeout':
        return undefined;
      case 'html-503':
        return htmlReply(503);
      case 'html-200':
        return htmlReply(200);
      case 'missing-access-key':
        return missingAccessKeyReply();
      case 'unsupported-code':
        return unsupportedCodeReply(provider, path);
      case 'quota-reached':
      case 'invalid-key':
      case 'inactive-account':
      case 'malformed-request':
      case 'plan-upgrade-required':
      case 'no-data-available':
        return exchangerateApiError(scenario);
      default:
        break;
    }

    const coverage = provider === 'frankfurter' ? ECB_CURRENCIES : ALL_SAMPLE_CURRENCIES;
    const rates = sampleRates(base, coverage);
    if (rates === undefined) {
      return unsupportedCodeReply(provider, path);
    }
    const content = new Map<string, string | null>(rates);
    let reportedBase = base;
    if (scenario === 'empty-rates') {
      content.clear();
    } else if (scenario === 'currency-missing') {
      content.delete('ARS');
    } else if (scenario === 'currency-null') {
      content.set('PKR', null);
    } else if (scenario === 'base-swapped') {
      reportedBase = 'EUR';
      content.clear();
      for (const [code, rate] of sampleRates('EUR', coverage) ?? []) {
        content.set(code, rate);
      }
    }

    if (provider === 'frankfurter') {
      const symbols = (query.get('symbols') ?? query.get('to'))?.toUpperCase().split(',');
      if (symbols?.includes(base)) {
        return jsonReply(422, { message: 'bad currency pair' });
      }
      if (symbols !== undefined) {
        for (const code of [...content.keys()]) {
          if (!symbols.includes(code)) {
            content.delete(code);
          }
        }
      }
    }

    return successReply(provider, { base: reportedBase, rates: content, nowMs: this.#now() });
  }

  #send(response: ServerResponse, reply: FakeReply): void {
    response.writeHead(reply.status, { 'content-type': reply.contentType });
    response.end(reply.body);
  }
}
