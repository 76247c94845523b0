import {
  FxInvalidResponseError,
  FxProviderConfigurationError,
  FxQuotaExceededError,
} from '../../lib/fx/errors';
import { JsonNumber, parseJsonExact } from '../../lib/fx/json';
import { errorForType, providerTimestamp, readEnvelope, validateRates } from '../../lib/fx/validation';

const context = { provider: 'frankfurter', base: 'USD' } as const;
const NOW_MS = Date.parse('2024-06-06T00:30:00Z');

function payload(json: string) {
  const body = parseJsonExact(json) as Record<string, unknown>;
  return { reportedBase: body.base, rates: body.rates };
}

describe('parseJsonExact', () => {
  it('keeps the source text of every number', () => {
    const body = parseJsonExact('{"a": 0.1000000000000000000001, "b": 1e-7, "c": [5.31]}') as {
      a: JsonNumber;
      b: JsonNumber;
      c: JsonNumber[];
    };

    expect(body.a.source).toBe('0.1000000000000000000001');
    expect(body.b.source).toBe('1e-7');
    expect(body.c[0]?.source).toBe('5.31');
  });
});

describe('readEnvelope', () => {
  it.each([
    ['result error', { result: 'error', 'error-type': 'quota-reached' }, 'quota-reached'],
    [
      'success false',
      { success: false, error: { code: 101, type: 'missing_access_key' } },
      'missing_access_key',
    ],
    ['bare error object', { error: { code: 'invalid_access_key', message: 'x' } }, 'invalid_access_key'],
    ['error string', { error: 'Invalid base' }, 'Invalid base'],
    ['error without type', { result: 'error' }, 'unknown-error'],
  ])('reads %s as an error', (_label, body, errorType) => {
    expect(readEnvelope(body)).toEqual({ status: 'error', errorType });
  });

  it('reads a numeric apilayer code when no type is given', () => {
    const body = parseJsonExact('{"success": false, "error": {"code": 104}}') as Record<string, unknown>;

    expect(readEnvelope(body)).toEqual({ status: 'error', errorType: '104' });
  });

  it.each([
    [{ result: 'success' }, 'success'],
    [{ success: true }, 'success'],
    [{ base: 'USD', rates: {} }, 'absent'],
  ])('reads %j as %s', (body, status) => {
    expect(readEnvelope(body).status).toBe(status);
  });
});

describe('errorForType', () => {
  it.each([
    ['quota-reached', FxQuotaExceededError],
    ['invalid-key', FxProviderConfigurationError],
    ['inactive-account', FxProviderConfigurationError],
    ['missing_access_key', FxProviderConfigurationError],
    ['unsupported-code', FxProviderConfigurationError],
    ['no-data-available', FxInvalidResponseError],
    ['something-new', FxInvalidResponseError],
  ])('classifies %s', (errorType, errorClass) => {
    const error = errorForType(context, errorType);

    expect(error).toBeInstanceOf(errorClass);
    expect(error.errorType).toBe(errorType);
    expect(error.provider).toBe('frankfurter');
  });

  it('names the variable to change for an invalid key', () => {
    const error = errorForType({ provider: 'exchangerate-api', base: 'USD' }, 'invalid-key');

    expect(error.message).toContain('FX_SECRET_ARN');
    expect(error.message).toContain('FX_EXCHANGERATE_API_KEY');
  });
});

describe('validateRates', () => {
  it('keeps valid rates as exact decimal strings', () => {
    const result = validateRates(
      context,
      payload('{"base":"USD","rates":{"EUR":0.92,"BRL":5.310,"JPY":1.567e2}}'),
      ['EUR', 'BRL', 'JPY'],
    );

    expect(Object.fromEntries(result.rates)).toEqual({ EUR: '0.92', BRL: '5.31', JPY: '156.7' });
    expect(result.rejected.size).toBe(0);
  });

  it('rejects each bad currency with its reason', () => {
    const result = validateRates(
      context,
      payload(
        '{"base":"USD","rates":{"EUR":0.92,"PKR":null,"BRL":"5.31","ZAR":0,"NGN":-1,"HUF":1e999,"INR":83.4}}',
      ),
      ['EUR', 'PKR', 'BRL', 'ZAR', 'NGN', 'HUF', 'ARS', 'INR'],
    );

    expect(Object.fromEntries(result.rates)).toEqual({ EUR: '0.92', INR: '83.4' });
    expect(Object.fromEntries(result.rejected)).toEqual({
      PKR: 'null',
      BRL: 'not-a-number',
      ZAR: 'not-positive',
      NGN: 'not-positive',
      HUF: 'not-finite',
      ARS: 'missing',
    });
  });

  it('matches lower-case currency keys', () => {
    const result = validateRates(context, payload('{"base":"usd","rates":{"eur":0.92}}'), ['EUR']);

    expect(result.rates.get('EUR')).toBe('0.92');
  });

  it('rejects an empty rates object', () => {
    expect(() => validateRates(context, payload('{"base":"USD","rates":{}}'), ['EUR'])).toThrow(
      expect.objectContaining({ name: 'FxInvalidResponseError', errorType: 'empty-rates' }),
    );
  });

  it('rejects a missing rates object', () => {
    expect(() => validateRates(context, payload('{"base":"USD"}'), ['EUR'])).toThrow(
      expect.objectContaining({ errorType: 'malformed-response' }),
    );
  });

  it('rejects a response quoted against another base', () => {
    expect(() => validateRates(context, payload('{"base":"EUR","rates":{"USD":1.08}}'), ['USD'])).toThrow(
      expect.objectContaining({ name: 'FxProviderConfigurationError', errorType: 'base-mismatch' }),
    );
  });

  it('rejects a response that rates the base itself at anything but 1', () => {
    expect(() =>
      validateRates(context, payload('{"base":"USD","rates":{"USD":1.1,"EUR":0.92}}'), ['EUR']),
    ).toThrow(expect.objectContaining({ errorType: 'inconsistent-base' }));
  });

  it('accepts the base rated at exactly 1', () => {
    const result = validateRates(context, payload('{"base":"USD","rates":{"USD":1.0,"EUR":0.92}}'), ['EUR']);

    expect(result.rates.get('EUR')).toBe('0.92');
  });
});

describe('providerTimestamp', () => {
  it('turns epoch seconds into an ISO date-time', () => {
    expect(providerTimestamp('exchangerate-api', new JsonNumber('1717628400'), NOW_MS)).toBe(
      '2024-06-05T23:00:00.000Z',
    );
  });

  it('keeps a date as it is', () => {
    expect(providerTimestamp('frankfurter', '2024-06-05', NOW_MS)).toBe('2024-06-05');
  });

  it('rejects data older than seven days', () => {
    expect(() => providerTimestamp('frankfurter', '2024-05-29', NOW_MS)).toThrow(
      expect.objectContaining({ errorType: 'stale-data' }),
    );
  });

  it('rejects a missing time', () => {
    expect(() => providerTimestamp('frankfurter', undefined, NOW_MS)).toThrow(
      expect.objectContaining({ errorType: 'malformed-response' }),
    );
  });
});
