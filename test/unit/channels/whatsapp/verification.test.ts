import { createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import {
  verifySignature,
  verifySubscription,
  WhatsAppVerificationConfigError,
} from '../../../../lib/channels/whatsapp';
import { rawBody } from '../../../../lib/http/request';

const APP_SECRET = 'test-app-secret_0123456789';
const VERIFY_TOKEN = 'verify_me_123';
const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const HANDSHAKE_CASES = path.join(ROOT, '..', 'shared', 'cases', 'inputs', 'WA-02.json');

/** Signs bytes the way Meta does: `sha256=` and the hex HMAC-SHA256 of the body with the app secret. */
function sign(body: Buffer | string, secret = APP_SECRET): string {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;

  return `sha256=${createHmac('sha256', secret).update(bytes).digest('hex')}`;
}

interface HandshakeRequest {
  label: string;
  queryStringParameters: Record<string, string> | null;
  expect: { status: number | string; body_exact?: string };
}

interface HandshakeCases {
  requests: HandshakeRequest[];
  configured_verify_token: string;
}

function loadHandshakeCases(): HandshakeCases | undefined {
  if (!existsSync(HANDSHAKE_CASES)) {
    return undefined;
  }

  return JSON.parse(readFileSync(HANDSHAKE_CASES, 'utf8')) as HandshakeCases;
}

describe('verifySignature', () => {
  const asciiBody = '{"object":"whatsapp_business_account","entry":[]}';

  it('accepts ASCII body signed with app secret', () => {
    const result = verifySignature(Buffer.from(asciiBody), sign(asciiBody), APP_SECRET);

    expect(result).toEqual({ ok: true });
  });

  it('accepts raw bytes of literal UTF-8 text', () => {
    const body = '{"text":{"body":"café 12,50 € 💸"}}';

    const result = verifySignature(Buffer.from(body, 'utf8'), sign(body), APP_SECRET);

    expect(result).toEqual({ ok: true });
  });

  it('rejects re-serialized JSON of escaped non-ASCII body', () => {
    // The sender escapes non-ASCII as \uXXXX and JSON.stringify writes it back as UTF-8, so the bytes differ.
    const body = '{"text":{"body":"caf\\u00e9 12,50 \\u20ac \\ud83d\\udcb8"}}';
    const header = sign(body);
    const reserialized = JSON.stringify(JSON.parse(body));

    const raw = verifySignature(Buffer.from(body, 'utf8'), header, APP_SECRET);
    const parsed = verifySignature(Buffer.from(reserialized, 'utf8'), header, APP_SECRET);

    expect(reserialized).toBe('{"text":{"body":"café 12,50 € 💸"}}');
    expect(raw).toEqual({ ok: true });
    expect(parsed).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('accepts base64 API Gateway body decoded with rawBody', () => {
    const body = '{"text":{"body":"farmácia 8,40 €"}}';
    const event: Pick<APIGatewayProxyEventV2, 'body' | 'isBase64Encoded'> = {
      body: Buffer.from(body, 'utf8').toString('base64'),
      isBase64Encoded: true,
    };

    const result = verifySignature(rawBody(event), sign(body), APP_SECRET);

    expect(result).toEqual({ ok: true });
  });

  it('rejects base64 body verified without decoding', () => {
    const body = '{"text":{"body":"farmácia 8,40 €"}}';
    const encoded = Buffer.from(body, 'utf8').toString('base64');

    const result = verifySignature(Buffer.from(encoded, 'utf8'), sign(body), APP_SECRET);

    expect(result).toEqual({ ok: false, reason: 'mismatch' });
  });

  it.each([
    ['undefined', undefined],
    ['empty', ''],
    ['blank', '   '],
  ])('reports %s header as missing', (_label, header) => {
    const result = verifySignature(Buffer.from(asciiBody), header, APP_SECRET);

    expect(result).toEqual({ ok: false, reason: 'missing' });
  });

  it.each([
    ['sha1 prefix', (hex: string) => `sha1=${hex}`],
    ['no prefix', (hex: string) => hex],
    ['prefix without equals sign', (hex: string) => `sha256${hex}`],
    ['truncated digest', (hex: string) => `sha256=${hex.slice(0, 63)}`],
    ['digest one digit too long', (hex: string) => `sha256=${hex}0`],
    ['non-hex digit', (hex: string) => `sha256=${hex.slice(0, 63)}g`],
    ['comma-joined repeat', (hex: string) => `sha256=${hex},sha256=${hex}`],
  ])('reports %s as malformed', (_label, format) => {
    const hex = sign(asciiBody).slice('sha256='.length);

    const result = verifySignature(Buffer.from(asciiBody), format(hex), APP_SECRET);

    expect(result).toEqual({ ok: false, reason: 'malformed' });
  });

  it('accepts upper-case hex digest', () => {
    const hex = sign(asciiBody).slice('sha256='.length).toUpperCase();

    const result = verifySignature(Buffer.from(asciiBody), `sha256=${hex}`, APP_SECRET);

    expect(result).toEqual({ ok: true });
  });

  it('accepts upper-case prefix', () => {
    const hex = sign(asciiBody).slice('sha256='.length);

    const result = verifySignature(Buffer.from(asciiBody), `SHA256=${hex}`, APP_SECRET);

    expect(result).toEqual({ ok: true });
  });

  it('rejects signature made with different secret', () => {
    const header = sign(asciiBody, 'another-app-secret');

    const result = verifySignature(Buffer.from(asciiBody), header, APP_SECRET);

    expect(result).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('rejects signature of different body', () => {
    const header = sign('{"object":"whatsapp_business_account","entry":[{}]}');

    const result = verifySignature(Buffer.from(asciiBody), header, APP_SECRET);

    expect(result).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('accepts empty body signed as empty', () => {
    const result = verifySignature(Buffer.alloc(0), sign(''), APP_SECRET);

    expect(result).toEqual({ ok: true });
  });

  it('throws config error for empty app secret', () => {
    const verify = () => verifySignature(Buffer.from(asciiBody), sign(asciiBody), '');

    expect(verify).toThrow(WhatsAppVerificationConfigError);
    expect(verify).toThrow(/appSecret is empty/);
  });

  it('keeps app secret out of every result', () => {
    const headers = [undefined, 'sha1=abc', sign(asciiBody, 'other'), sign(asciiBody)];

    for (const header of headers) {
      const result = verifySignature(Buffer.from(asciiBody), header, APP_SECRET);

      expect(JSON.stringify(result)).not.toContain(APP_SECRET);
    }
  });
});

describe('verifySubscription', () => {
  const handshakeCases = loadHandshakeCases();
  const describeCases = handshakeCases === undefined ? describe.skip : describe;

  describeCases('shared handshake cases', () => {
    const requests = handshakeCases?.requests ?? [];
    const token = handshakeCases?.configured_verify_token ?? VERIFY_TOKEN;

    it.each(requests.map((request) => [request.label, request] as const))('handles %s', (_label, request) => {
      const result = verifySubscription(request.queryStringParameters, token);

      if (request.expect.status === 200) {
        expect(result).toEqual({ ok: true, challenge: request.expect.body_exact });
      } else {
        expect(result.ok).toBe(false);
      }
    });
  });

  it('returns challenge unchanged for valid request', () => {
    const query = {
      'hub.mode': 'subscribe',
      'hub.verify_token': VERIFY_TOKEN,
      'hub.challenge': '1158201444',
    };

    const result = verifySubscription(query, VERIFY_TOKEN);

    expect(result).toEqual({ ok: true, challenge: '1158201444' });
  });

  it('rejects wrong token', () => {
    const query = { 'hub.mode': 'subscribe', 'hub.verify_token': 'nope', 'hub.challenge': '998877' };

    const result = verifySubscription(query, VERIFY_TOKEN);

    expect(result).toEqual({ ok: false, reason: 'token' });
  });

  it('rejects missing token', () => {
    const query = { 'hub.mode': 'subscribe', 'hub.challenge': '998877' };

    const result = verifySubscription(query, VERIFY_TOKEN);

    expect(result).toEqual({ ok: false, reason: 'token' });
  });

  it('rejects token that only differs in case', () => {
    const query = {
      'hub.mode': 'subscribe',
      'hub.verify_token': VERIFY_TOKEN.toUpperCase(),
      'hub.challenge': '998877',
    };

    const result = verifySubscription(query, VERIFY_TOKEN);

    expect(result).toEqual({ ok: false, reason: 'token' });
  });

  it.each([
    ['unsubscribe', 'unsubscribe'],
    ['upper-case', 'SUBSCRIBE'],
    ['comma-joined repeat', 'subscribe,subscribe'],
  ])('rejects %s mode', (_label, mode) => {
    const query = { 'hub.mode': mode, 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '998877' };

    const result = verifySubscription(query, VERIFY_TOKEN);

    expect(result).toEqual({ ok: false, reason: 'mode' });
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['empty', {}],
  ])('rejects %s query without throwing', (_label, query) => {
    const result = verifySubscription(query, VERIFY_TOKEN);

    expect(result).toEqual({ ok: false, reason: 'mode' });
  });

  it('rejects comma-joined repeated token', () => {
    const query = {
      'hub.mode': 'subscribe',
      'hub.verify_token': `${VERIFY_TOKEN},${VERIFY_TOKEN}`,
      'hub.challenge': '998877',
    };

    const result = verifySubscription(query, VERIFY_TOKEN);

    expect(result).toEqual({ ok: false, reason: 'token' });
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
  ])('rejects %s challenge', (_label, challenge) => {
    const query = { 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': challenge };

    const result = verifySubscription(query, VERIFY_TOKEN);

    expect(result).toEqual({ ok: false, reason: 'challenge-missing' });
  });

  it('rejects comma-joined repeated challenge', () => {
    const query = { 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '111,222' };

    const result = verifySubscription(query, VERIFY_TOKEN);

    expect(result).toEqual({ ok: false, reason: 'challenge-duplicated' });
  });

  it('checks token before challenge', () => {
    const query = { 'hub.mode': 'subscribe', 'hub.verify_token': 'nope' };

    const result = verifySubscription(query, VERIFY_TOKEN);

    expect(result).toEqual({ ok: false, reason: 'token' });
  });

  it('throws config error for empty verify token', () => {
    const query = { 'hub.mode': 'subscribe', 'hub.verify_token': '', 'hub.challenge': '998877' };

    const verify = () => verifySubscription(query, '');

    expect(verify).toThrow(WhatsAppVerificationConfigError);
    expect(verify).toThrow(/verifyToken is empty/);
  });

  it('keeps verify token out of every result', () => {
    const queries = [
      undefined,
      { 'hub.mode': 'subscribe', 'hub.verify_token': 'nope', 'hub.challenge': '1' },
      { 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN },
    ];

    for (const query of queries) {
      const result = verifySubscription(query, VERIFY_TOKEN);

      expect(JSON.stringify(result)).not.toContain(VERIFY_TOKEN);
    }
  });
});
