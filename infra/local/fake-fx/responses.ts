/**
 * Response bodies of the fake providers, in each provider's documented shape. Rates are written with
 * their exact decimal text, as the real APIs write them.
 */
import type { FakeFxProvider } from './types';

/** A number written into JSON as its decimal text. */
export class RawNumber {
  constructor(readonly text: string) {}
}

/** Serializes like JSON.stringify, except that {@link RawNumber} values keep their text. */
export function toJsonText(value: unknown): string {
  if (value instanceof RawNumber) {
    return value.text;
  }
  if (Array.isArray(value)) {
    return `[${value.map(toJsonText).join(',')}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, entry]) => entry !== undefined);
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${toJsonText(entry)}`).join(',')}}`;
  }

  return JSON.stringify(value);
}

/** One reply of the fake. */
export interface FakeReply {
  status: number;
  contentType: string;
  body: string;
}

/** Returns a JSON reply. */
export function jsonReply(status: number, body: unknown): FakeReply {
  return { status, contentType: 'application/json', body: toJsonText(body) };
}

/** Content of a successful body, before the provider's shape is applied. */
export interface RatesContent {
  /** The base the body claims, which a base-swapped reply sets to another currency. */
  base: string;
  /** Rates as decimal text, or null for a null rate. */
  rates: ReadonlyMap<string, string | null>;
  nowMs: number;
}

const DAY_MS = 86_400_000;

/** Builds a success body in the provider's documented shape. */
export function successReply(provider: FakeFxProvider, content: RatesContent): FakeReply {
  const dayStartMs = Math.floor(content.nowMs / DAY_MS) * DAY_MS;
  const date = new Date(dayStartMs).toISOString().slice(0, 10);
  const numbers = (lowerCase: boolean) =>
    Object.fromEntries(
      [...content.rates].map(([code, rate]) => [
        lowerCase ? code.toLowerCase() : code,
        rate === null ? null : new RawNumber(rate),
      ]),
    );

  switch (provider) {
    case 'exchangerate-api':
      return jsonReply(200, {
        result: 'success',
        documentation: 'https://www.exchangerate-api.com/docs',
        terms_of_use: 'https://www.exchangerate-api.com/terms',
        time_last_update_unix: new RawNumber(String(dayStartMs / 1_000 + 1)),
        time_last_update_utc: new Date(dayStartMs + 1_000).toUTCString().replace('GMT', '+0000'),
        time_next_update_unix: new RawNumber(String((dayStartMs + DAY_MS) / 1_000 + 1)),
        time_next_update_utc: new Date(dayStartMs + DAY_MS + 1_000).toUTCString().replace('GMT', '+0000'),
        base_code: content.base,
        conversion_rates: numbers(false),
      });
    case 'frankfurter':
      return jsonReply(200, {
        amount: new RawNumber('1.0'),
        base: content.base,
        date,
        rates: Object.fromEntries(Object.entries(numbers(false)).filter(([code]) => code !== content.base)),
      });
    case 'currency-api':
      return jsonReply(200, { date, [content.base.toLowerCase()]: numbers(true) });
  }
}

/**
 * Builds ExchangeRate-API's error envelope. Only `quota-reached` is documented with its status (200). The
 * fake picks the other statuses, and the validation does not depend on them.
 */
export function exchangerateApiError(errorType: string): FakeReply {
  const statuses: Record<string, number> = {
    'quota-reached': 200,
    'invalid-key': 403,
    'inactive-account': 403,
    'plan-upgrade-required': 403,
    'unsupported-code': 404,
    'no-data-available': 404,
    'malformed-request': 400,
  };

  return jsonReply(statuses[errorType] ?? 400, {
    result: 'error',
    documentation: 'https://www.exchangerate-api.com/docs',
    terms_of_use: 'https://www.exchangerate-api.com/terms',
    'error-type': errorType,
  });
}

/** Builds the apilayer-style reply of an API that began to require an access key. */
export function missingAccessKeyReply(): FakeReply {
  return jsonReply(401, {
    success: false,
    error: {
      code: new RawNumber('101'),
      type: 'missing_access_key',
      info: 'You have not supplied an API Access Key. [Required format: access_key=YOUR_ACCESS_KEY]',
    },
  });
}

/** Builds the reply of each provider to an unsupported currency code. */
export function unsupportedCodeReply(provider: FakeFxProvider, path: string): FakeReply {
  switch (provider) {
    case 'exchangerate-api':
      return exchangerateApiError('unsupported-code');
    case 'frankfurter':
      return jsonReply(404, { message: 'not found' });
    case 'currency-api':
      // jsDelivr returns a plain-text 404 for a missing file.
      return {
        status: 404,
        contentType: 'text/plain; charset=utf-8',
        body: `Couldn't find the requested file ${path} in @fawazahmed0/currency-api.`,
      };
  }
}

/** Builds an HTML error page, as a load balancer or CDN sends it. */
export function htmlReply(status: number): FakeReply {
  const title = status === 503 ? 'Service Unavailable' : `Error ${status}`;

  return { status, contentType: 'text/html; charset=utf-8', body: `<html>${title}</html>` };
}
