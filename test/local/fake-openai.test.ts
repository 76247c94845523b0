import OpenAI, { toFile } from 'openai';
import { OPENAI_FAILURES } from '../../infra/local/fake-openai/responses';
import { type FakeOpenAi, startFakeOpenAi } from '../../infra/local/fake-openai/server';
import { MAX_AUDIO_BYTES } from '../../infra/local/fake-openai/transcriptions';
import {
  buildCategorizeMessages,
  TRANSACTION_SCHEMA,
  TRANSACTION_SCHEMA_NAME,
} from '../../lib/ai/categorize-prompt';

describe('fake OpenAI server', () => {
  let fake: FakeOpenAi;
  let sdk: OpenAI;

  beforeAll(async () => {
    fake = await startFakeOpenAi({ unknownAudio: undefined });
    sdk = new OpenAI({ apiKey: fake.apiKey, baseURL: fake.baseURL, maxRetries: 0, timeout: 2_000 });
  });

  afterAll(async () => {
    await fake?.stop();
  });

  beforeEach(() => {
    fake.reset();
  });

  const post = (path: string, body: unknown, authorization?: string) =>
    fetch(`${fake.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(body),
    });

  describe('chat completions', () => {
    it('answers 401 with OpenAI error JSON without a key', async () => {
      const response = await post('/v1/chat/completions', { model: 'm', messages: [] });

      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { type: 'invalid_request_error', code: null } });
    });

    it('answers 401 invalid_api_key with the key masked', async () => {
      const response = await post(
        '/v1/chat/completions',
        { model: 'm', messages: [] },
        'Bearer sk-wrong-1234567',
      );
      const body = (await response.json()) as { error: { code: string; message: string } };

      expect(response.status).toBe(401);
      expect(body.error.code).toBe('invalid_api_key');
      expect(body.error.message).not.toContain('wrong-1234567');
    });

    it('computes a transaction from the quoted text and honours the schema', async () => {
      const messages = buildCategorizeMessages('spent 12.50 on lunch at Subway', {
        homeCurrency: 'EUR',
        timeZone: 'Europe/Lisbon',
        today: '2025-03-14',
        corrections: [],
      });

      const completion = await sdk.chat.completions.create({
        model: 'gpt-4.1-mini',
        messages,
        response_format: {
          type: 'json_schema',
          json_schema: { name: TRANSACTION_SCHEMA_NAME, strict: true, schema: TRANSACTION_SCHEMA },
        },
      });

      expect(JSON.parse(completion.choices[0]?.message.content ?? '')).toEqual({
        kind: 'expense',
        amount: '12.50',
        currency: 'EUR',
        date: '2025-03-14',
        merchant: 'Subway',
        category: 'Food & Dining',
        description: 'spent 12.50 on lunch at Subway',
      });
      expect(completion.usage?.prompt_tokens).toBeGreaterThan(100);
      expect(completion.usage?.completion_tokens).toBeGreaterThan(10);
      expect(completion.usage?.total_tokens).toBe(
        (completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0),
      );
    });

    it('rejects a strict schema that allows extra properties', async () => {
      const failure = sdk.chat.completions.create({
        model: 'gpt-4.1-mini',
        messages: [{ role: 'user', content: 'hi' }],
        response_format: {
          type: 'json_schema',
          json_schema: {
            name: 'loose',
            strict: true,
            schema: { type: 'object', properties: { a: { type: 'string' } } },
          },
        },
      });

      await expect(failure).rejects.toMatchObject({ status: 400, param: 'response_format' });
    });

    it('serves scripted replies and OpenAI error bodies', async () => {
      fake.respondNext({ content: '```json\n{"amount": 1}\n```' });
      fake.respondNext(OPENAI_FAILURES.rateLimited);
      fake.respondNext(OPENAI_FAILURES.insufficientQuota);
      const request = { model: 'gpt-4.1-mini', messages: [{ role: 'user' as const, content: 'hi' }] };

      const scripted = await sdk.chat.completions.create(request);
      const limited = await sdk.chat.completions.create(request).catch((error: unknown) => error);
      const quota = await sdk.chat.completions.create(request).catch((error: unknown) => error);

      expect(scripted.choices[0]?.message.content).toBe('```json\n{"amount": 1}\n```');
      expect(limited).toMatchObject({ status: 429, code: 'rate_limit_exceeded', type: 'requests' });
      expect((limited as { headers: Headers }).headers.get('retry-after')).toBe('20');
      expect((limited as { headers: Headers }).headers.get('x-ratelimit-reset-requests')).toBe('6m0s');
      expect(quota).toMatchObject({ status: 429, code: 'insufficient_quota', type: 'insufficient_quota' });
    });

    it('holds the response for a scripted timeout', async () => {
      fake.respondNext(OPENAI_FAILURES.timeout);
      const impatient = new OpenAI({
        apiKey: fake.apiKey,
        baseURL: fake.baseURL,
        maxRetries: 0,
        timeout: 200,
      });

      const failure = impatient.chat.completions.create({
        model: 'm',
        messages: [{ role: 'user', content: 'hi' }],
      });

      await expect(failure).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
    });
  });

  describe('audio transcriptions', () => {
    const audio = Buffer.from('OggS fake voice note bytes');

    it('returns the registered transcript as json, text and verbose_json', async () => {
      fake.registerAudio(audio, 'spent twelve fifty on lunch', 3.4);

      const json = await sdk.audio.transcriptions.create({
        model: 'whisper-1',
        file: await toFile(audio, 'voice.ogg'),
      });
      const text = await sdk.audio.transcriptions.create({
        model: 'whisper-1',
        file: await toFile(audio, 'voice.ogg'),
        response_format: 'text',
      });
      const verbose = await sdk.audio.transcriptions.create({
        model: 'whisper-1',
        file: await toFile(audio, 'voice.ogg'),
        response_format: 'verbose_json',
      });

      expect(json.text).toBe('spent twelve fifty on lunch');
      expect(String(text).trim()).toBe('spent twelve fifty on lunch');
      expect(verbose).toMatchObject({ text: 'spent twelve fifty on lunch', duration: 3.4 });
    });

    it('rejects unknown audio with a clear 400', async () => {
      const failure = sdk.audio.transcriptions.create({
        model: 'whisper-1',
        file: await toFile(Buffer.from('unknown'), 'voice.ogg'),
      });

      await expect(failure).rejects.toMatchObject({ status: 400, param: 'file' });
      await expect(failure).rejects.toThrow(/no transcript registered|registerAudio/);
    });

    it('rejects an unsupported file format', async () => {
      fake.registerAudio(audio, 'x', 1);

      const failure = sdk.audio.transcriptions.create({
        model: 'whisper-1',
        file: await toFile(audio, 'voice.txt'),
      });

      await expect(failure).rejects.toMatchObject({ status: 400 });
    });

    it('rejects a file over 25 MB with 413', async () => {
      // Uploading 25 MB can take longer than the shared client's 2-s timeout on a busy machine.
      const patient = new OpenAI({
        apiKey: fake.apiKey,
        baseURL: fake.baseURL,
        maxRetries: 0,
        timeout: 30_000,
      });
      const failure = patient.audio.transcriptions.create({
        model: 'whisper-1',
        file: await toFile(Buffer.alloc(MAX_AUDIO_BYTES + 1), 'voice.ogg'),
      });

      await expect(failure).rejects.toMatchObject({ status: 413 });
    });

    it('returns a configured transcript for unknown audio', async () => {
      const lenient = await startFakeOpenAi({ unknownAudio: { text: 'coffee 3 euros', durationSeconds: 2 } });
      const client = new OpenAI({ apiKey: lenient.apiKey, baseURL: lenient.baseURL, maxRetries: 0 });

      const result = await client.audio.transcriptions.create({
        model: 'whisper-1',
        file: await toFile(Buffer.from('anything'), 'voice.ogg'),
      });
      await lenient.stop();

      expect(result.text).toBe('coffee 3 euros');
    });
  });
});
