import { createServer } from 'node:net';
import { inspect } from 'node:util';
import { VISION_ERRORS } from '../../infra/local/fake-vision/responses';
import { type FakeVision, startFakeVision } from '../../infra/local/fake-vision/server';
import { ConfigError, loadOcrEngineConfig } from '../../lib/config';
import type { OcrImage } from '../../lib/receipts/ocr/engine';
import {
  OcrImageError,
  VisionApiKeyError,
  VisionRequestError,
  VisionUnavailableError,
} from '../../lib/receipts/ocr/errors';
import { VisionOcrEngine } from '../../lib/receipts/ocr/vision';
import { toVisionHttpError } from '../../lib/receipts/ocr/vision-errors';
import { parseReceipt } from '../../lib/receipts/parse-receipt';
import { createDynamoResilientCaller } from '../../lib/resilience/dynamo-caller';
import type { ResilientCaller } from '../../lib/resilience/resilient-call';
import { RECEIPT_IMAGES, receiptImage } from '../fixtures/receipts/images/receipt-images';
import { createLocalTables, type LocalTables } from '../store/local-tables';

const SILENT = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const FIXTURES = RECEIPT_IMAGES;
const png = receiptImage;

let fake: FakeVision;
let local: LocalTables;
const engines: VisionOcrEngine[] = [];

beforeAll(async () => {
  fake = await startFakeVision();
  local = await createLocalTables('vision-ocr');
});

afterEach(() => {
  fake.reset();
});

afterAll(async () => {
  await Promise.all(engines.map((engine) => engine.close()));
  // Both are undefined when the emulators are not running, and the fake's tesseract worker must stop anyway.
  await fake?.stop();
  local?.destroy();
});

/**
 * Creates a Vision engine with a new resilience caller. The circuit breaker's state lives in the
 * resilience table, so a test that fails requests on purpose passes a table of its own in `tables`.
 */
function visionEngine(
  apiKey = fake.apiKey,
  apiEndpoint = fake.url,
  tables: LocalTables = local,
): { engine: VisionOcrEngine; caller: ResilientCaller } {
  const caller = createDynamoResilientCaller({
    client: tables.client,
    tableName: tables.tables.resilience,
    logger: SILENT,
    sleep: async () => {},
  });
  const engine = new VisionOcrEngine({
    apiKey: async () => apiKey,
    apiEndpoint,
    requestTimeoutMs: 10_000,
    caller,
    budgetMs: () => 30_000,
  });
  engines.push(engine);

  return { engine, caller };
}

describe('VisionOcrEngine', () => {
  it('reads the total line of each receipt', async () => {
    const { engine } = visionEngine();

    const results = await engine.recognize(FIXTURES.map(({ name }) => png(name)));

    expect(results).toHaveLength(3);
    results.forEach((result, index) => {
      expect(result.error).toBeUndefined();
      expect(result.text).toMatch(FIXTURES[index]?.totalLine ?? /never/);
      expect(result.usage).toEqual({
        provider: 'google-vision',
        model: 'DOCUMENT_TEXT_DETECTION',
        operation: 'ocr',
        images: 1,
      });
    });
    expect(fake.calls).toEqual([expect.objectContaining({ status: 200, images: 3 })]);
  });

  it('gives the receipt parser the right totals', async () => {
    const { engine } = visionEngine();

    const results = await engine.recognize(FIXTURES.map(({ name }) => png(name)));
    const totals = results.map(
      (result) => parseReceipt(result.text, { homeCurrency: 'USD', referenceDate: '2024-12-31' }).total,
    );

    expect(totals).toEqual(FIXTURES.map(({ total }) => total));
  });

  it('sends 20 images in two requests and keeps their order', async () => {
    const { engine } = visionEngine();
    const order = Array.from({ length: 20 }, (_, index) => FIXTURES[index % FIXTURES.length]);

    const results = await engine.recognize(order.map((fixture) => png(fixture?.name ?? 'diner')));

    expect(results).toHaveLength(20);
    results.forEach((result, index) => {
      expect(result.text).toMatch(order[index]?.totalLine ?? /never/);
    });
    expect(fake.calls.map((call) => call.images).sort((a, b) => a - b)).toEqual([4, 16]);
    expect(fake.calls.every((call) => call.status === 200)).toBe(true);
  });

  it('rejects an invalid key without retrying', async () => {
    const { engine } = visionEngine('not-the-key');

    const error = await engine.recognize([png('diner')]).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(VisionApiKeyError);
    expect(error).toMatchObject({ status: 400, googleStatus: 'INVALID_ARGUMENT', reason: 'API_KEY_INVALID' });
    expect((error as Error).message).not.toContain('not-the-key');
    expect(fake.calls).toHaveLength(1);
  });

  it('rejects a key blocked for Vision without retrying', async () => {
    const { engine } = visionEngine();
    fake.failNext(VISION_ERRORS.apiKeyServiceBlocked);

    const error = await engine.recognize([png('diner')]).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(VisionApiKeyError);
    expect(error).toMatchObject({
      status: 403,
      googleStatus: 'PERMISSION_DENIED',
      reason: 'API_KEY_SERVICE_BLOCKED',
    });
    expect(fake.calls).toHaveLength(1);
  });

  it('rejects an empty key before sending a request', async () => {
    const { engine } = visionEngine('');

    await expect(engine.recognize([png('diner')])).rejects.toBeInstanceOf(VisionApiKeyError);
    expect(fake.calls).toHaveLength(0);
  });

  it('keeps the other images when one fails in the batch', async () => {
    const { engine } = visionEngine();
    fake.failNext(VISION_ERRORS.badImageData);

    const results = await engine.recognize([png('diner'), png('grocery'), png('pharmacy')]);

    expect(results[0]?.error).toBeInstanceOf(OcrImageError);
    expect(results[0]?.error).toMatchObject({ imageIndex: 0, code: 3 });
    expect(results[0]?.usage.images).toBe(0);
    expect(results[1]?.text).toMatch(FIXTURES[1].totalLine);
    expect(results[2]?.text).toMatch(FIXTURES[2].totalLine);
  });

  it('reports bytes that are not an image as that image error', async () => {
    const { engine } = visionEngine();
    const garbage: OcrImage = { bytes: new TextEncoder().encode('not an image'), mimeType: 'image/jpeg' };

    const results = await engine.recognize([png('diner'), garbage]);

    expect(results[0]?.text).toMatch(FIXTURES[0].totalLine);
    expect(results[1]?.error).toMatchObject({ imageIndex: 1, code: 3 });
  });

  it('retries a 429 through the resilience layer', async () => {
    const { engine, caller } = visionEngine();
    fake.failNext(VISION_ERRORS.resourceExhausted);

    const [result] = await engine.recognize([png('pharmacy')]);

    expect(result?.text).toMatch(FIXTURES[2].totalLine);
    expect(fake.calls.map((call) => call.status)).toEqual([429, 200]);
    expect(caller.stats.retries).toBe(1);
    expect(caller.stats.dependencyFailures).toBe(1);
  });

  it('fails with the status after three 503 responses', async () => {
    const { engine, caller } = visionEngine();
    fake.failNext(VISION_ERRORS.unavailable, 3);

    const error = await engine.recognize([png('diner')]).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(VisionRequestError);
    expect(error).toMatchObject({ status: 503, googleStatus: 'UNAVAILABLE' });
    expect(fake.calls.map((call) => call.status)).toEqual([503, 503, 503]);
    expect(caller.stats.attempts).toBe(3);
  });
});

/** Returns a loopback port that nothing listens on: one the system gave out and that is closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));

  return typeof address === 'object' && address !== null ? address.port : 0;
}

describe('VisionOcrEngine without a server', () => {
  it('retries and hides the key when unreachable', async () => {
    const ownTables = await createLocalTables('vision-unreachable');
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const { engine, caller } = visionEngine('secret-vision-key-123', endpoint, ownTables);

    const error = await engine.recognize([png('diner')]).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(VisionUnavailableError);
    expect(caller.stats.attempts).toBe(3);
    expect(inspect(error, { depth: 10 })).not.toContain('secret-vision-key-123');
    ownTables.destroy();
  });
});

describe('fake Vision server', () => {
  async function annotate(body: unknown, query = `?key=${fake.apiKey}`): Promise<Response> {
    return fetch(`${fake.url}/v1/images:annotate${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  function request(content: string) {
    return { image: { content }, features: [{ type: 'DOCUMENT_TEXT_DETECTION' }] };
  }

  it('answers DOCUMENT_TEXT_DETECTION with fullTextAnnotation and textAnnotations', async () => {
    const content = Buffer.from(png('diner').bytes).toString('base64');

    const response = await annotate({ requests: [request(content)] });
    const body = (await response.json()) as {
      responses: Array<{
        fullTextAnnotation: { text: string };
        textAnnotations: Array<{ description: string }>;
      }>;
    };

    expect(response.status).toBe(200);
    expect(body.responses[0]?.fullTextAnnotation.text).toMatch(FIXTURES[0].totalLine);
    expect(body.responses[0]?.textAnnotations[0]?.description).toBe(
      body.responses[0]?.fullTextAnnotation.text,
    );
  });

  it('rejects a request without a key with 403 PERMISSION_DENIED', async () => {
    const response = await annotate({ requests: [request('AAAA')] }, '');
    const body = (await response.json()) as { error: { code: number; status: string } };

    expect(response.status).toBe(403);
    expect(body.error).toMatchObject({ code: 403, status: 'PERMISSION_DENIED' });
  });

  it('rejects a wrong key with 400 API_KEY_INVALID', async () => {
    const response = await annotate({ requests: [request('AAAA')] }, '?key=wrong');
    const body = (await response.json()) as { error: { code: number; status: string; details: unknown[] } };

    expect(response.status).toBe(400);
    expect(body.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    expect(body.error.details).toEqual([expect.objectContaining({ reason: 'API_KEY_INVALID' })]);
  });

  it('rejects more than 16 images in one request', async () => {
    const requests = Array.from({ length: 17 }, () => request('AAAA'));

    const response = await annotate({ requests });
    const body = (await response.json()) as { error: { code: number; status: string } };

    expect(response.status).toBe(400);
    expect(body.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
  });
});

describe('loadOcrEngineConfig', () => {
  it('chooses tesseract without a Vision key', () => {
    expect(loadOcrEngineConfig({})).toEqual({ engine: 'tesseract' });
  });

  it('chooses Vision with a key and a local endpoint', () => {
    const config = loadOcrEngineConfig({
      VISION_API_KEY: 'local-key',
      VISION_API_ENDPOINT: 'http://127.0.0.1:9400/',
    });

    expect(config).toEqual({
      engine: 'google-vision',
      vision: {
        apiKey: { kind: 'environment', apiKey: 'local-key' },
        apiEndpoint: 'http://127.0.0.1:9400',
        requestTimeoutMs: 10_000,
      },
    });
  });

  it('prefers the Secrets Manager secret', () => {
    const config = loadOcrEngineConfig({ VISION_SECRET_ARN: 'financy/vision', VISION_API_KEY: 'local-key' });

    expect(config).toMatchObject({
      vision: { apiKey: { kind: 'secrets-manager', secretId: 'financy/vision' } },
    });
  });

  it('rejects an endpoint without a key', () => {
    expect(() => loadOcrEngineConfig({ VISION_API_ENDPOINT: 'http://127.0.0.1:9400' })).toThrow(ConfigError);
  });
});

describe('toVisionHttpError', () => {
  it('reads a REST error body', () => {
    const body = JSON.stringify({
      error: {
        code: 429,
        message: 'Quota exceeded.',
        status: 'RESOURCE_EXHAUSTED',
        details: [
          { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'RATE_LIMIT_EXCEEDED' },
          { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1.500s' },
        ],
      },
    });

    const error = toVisionHttpError(429, body);

    expect(error).not.toBeInstanceOf(VisionApiKeyError);
    expect(error).toMatchObject({
      status: 429,
      googleStatus: 'RESOURCE_EXHAUSTED',
      reason: 'RATE_LIMIT_EXCEEDED',
      retryAfterMs: 1_500,
    });
  });

  it('reads a body that is not JSON', () => {
    const error = toVisionHttpError(502, '<html>Bad Gateway</html>');

    expect(error).toMatchObject({ status: 502, googleStatus: 'UNKNOWN', reason: undefined });
    expect(error.message).toContain('Bad Gateway');
  });
});
