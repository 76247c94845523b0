import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { getHeader, rawBody, secretsEqual } from '../../../lib/http/request';

describe('getHeader', () => {
  const headers = { 'x-telegram-bot-api-secret-token': 'lower', 'Content-Type': 'application/json' };

  it.each([
    ['x-telegram-bot-api-secret-token', 'lower'],
    ['X-Telegram-Bot-Api-Secret-Token', 'lower'],
    ['X-TELEGRAM-BOT-API-SECRET-TOKEN', 'lower'],
    ['content-type', 'application/json'],
    ['CONTENT-TYPE', 'application/json'],
  ])('finds %s by any case', (name, expected) => {
    const value = getHeader(headers, name);

    expect(value).toBe(expected);
  });

  it('returns undefined for absent name', () => {
    const value = getHeader(headers, 'authorization');

    expect(value).toBeUndefined();
  });

  it('returns undefined for undefined headers', () => {
    const value = getHeader(undefined, 'content-type');

    expect(value).toBeUndefined();
  });

  it('returns undefined for null headers', () => {
    // A hand-built or API Gateway REST event can carry `headers: null` even though the type declares a record.
    const nullHeaders = null as unknown as APIGatewayProxyEventV2['headers'];

    const value = getHeader(nullHeaders, 'content-type');

    expect(value).toBeUndefined();
  });

  it('returns joined repeated values', () => {
    const value = getHeader({ 'x-forwarded-for': '1.1.1.1, 2.2.2.2' }, 'X-Forwarded-For');

    expect(value).toBe('1.1.1.1, 2.2.2.2');
  });
});

describe('rawBody', () => {
  it('returns empty buffer without body', () => {
    const body = rawBody({ body: undefined, isBase64Encoded: false });

    expect(body.byteLength).toBe(0);
  });

  it('returns empty buffer for null body', () => {
    const body = rawBody({ body: null as unknown as string, isBase64Encoded: false });

    expect(body.byteLength).toBe(0);
  });

  it('encodes plain bodies as UTF-8', () => {
    const text = 'café 12 € 🍕';

    const body = rawBody({ body: text, isBase64Encoded: false });

    expect(body.equals(Buffer.from(text, 'utf8'))).toBe(true);
  });

  it('counts bytes, not characters', () => {
    const body = rawBody({ body: 'é€🍕', isBase64Encoded: false });

    expect(body.byteLength).toBe(2 + 3 + 4);
  });

  it('decodes base64 ASCII bodies', () => {
    const json = '{"update_id":1}';

    const body = rawBody({ body: Buffer.from(json).toString('base64'), isBase64Encoded: true });

    expect(body.toString('utf8')).toBe(json);
  });

  it('decodes base64 non-ASCII bodies', () => {
    const json = '{"text":"pão de queijo 3,50 € 🧀"}';
    const encoded = Buffer.from(json, 'utf8').toString('base64');

    const body = rawBody({ body: encoded, isBase64Encoded: true });

    expect(body.toString('utf8')).toBe(json);
  });

  it('keeps base64 byte length', () => {
    const bytes = Buffer.from('ünïcödé 🍕', 'utf8');

    const body = rawBody({ body: bytes.toString('base64'), isBase64Encoded: true });

    expect(body.byteLength).toBe(bytes.byteLength);
  });

  it('leaves base64-looking text alone unless flagged', () => {
    const text = 'eyJ1cGRhdGVfaWQiOjF9';

    const body = rawBody({ body: text, isBase64Encoded: false });

    expect(body.toString('utf8')).toBe(text);
  });
});

describe('secretsEqual', () => {
  const expected = 'webhook-secret-Abc_123';

  it('accepts the equal secret', () => {
    expect(secretsEqual('webhook-secret-Abc_123', expected)).toBe(true);
  });

  it.each([
    ['one character changed', 'webhook-secret-Abc_124'],
    ['different case', 'WEBHOOK-SECRET-ABC_123'],
    ['shorter', 'webhook-secret'],
    ['longer', 'webhook-secret-Abc_1234'],
    ['trailing space', 'webhook-secret-Abc_123 '],
    ['empty', ''],
  ])('rejects %s secret', (_case, received) => {
    expect(secretsEqual(received, expected)).toBe(false);
  });

  it('rejects undefined secret', () => {
    expect(secretsEqual(undefined, expected)).toBe(false);
  });

  it('compares non-ASCII secrets', () => {
    expect(secretsEqual('sécret-🔑', 'sécret-🔑')).toBe(true);
  });
});
