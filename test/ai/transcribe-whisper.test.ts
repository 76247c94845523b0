import { OPENAI_FAILURES } from '../../infra/local/fake-openai/responses';
import { type FakeOpenAi, startFakeOpenAi } from '../../infra/local/fake-openai/server';
import {
  AudioTooLargeError,
  TranscriptionFailedError,
  UnsupportedAudioError,
} from '../../lib/ai/transcribe/errors';
import { WHISPER_MAX_AUDIO_BYTES } from '../../lib/ai/transcribe/transcriber';
import { WhisperTranscriber } from '../../lib/ai/transcribe/whisper';
import { parseMessage } from '../../lib/parsing/parse-message';
import { createDynamoResilientCaller } from '../../lib/resilience/dynamo-caller';
import { SILENT_LOGGER } from '../../lib/resilience/logger';
import type { ResilientCaller } from '../../lib/resilience/resilient-call';
import { loadVoiceFixtures, unregisteredCopy, VOICE_MANIFEST_PATH } from '../fixtures/voice/voice-fixtures';
import { createLocalTables, type LocalTables } from '../store/local-tables';

const FIXTURES = loadVoiceFixtures();
const LUNCH = FIXTURES[0]!;

let fake: FakeOpenAi;
let local: LocalTables;
/** Delays that the resilience layer slept, in milliseconds; sleeps return at once. */
const sleeps: number[] = [];

beforeAll(async () => {
  fake = await startFakeOpenAi({ audioManifestPath: VOICE_MANIFEST_PATH });
  local = await createLocalTables('transcribe-whisper');
});

afterAll(async () => {
  await fake.stop();
  local.destroy();
});

beforeEach(() => {
  fake.reset();
  sleeps.length = 0;
});

/** Creates a transcriber with a caller of its own, so breaker state does not carry over between tests. */
function whisper(): { transcriber: WhisperTranscriber; caller: ResilientCaller } {
  const caller = createDynamoResilientCaller({
    client: local.client,
    tableName: local.tables.resilience,
    logger: SILENT_LOGGER,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    // Each test's failures must not open the circuit for the next one.
    breakerSettings: { failureThreshold: 1_000 },
  });
  const transcriber = new WhisperTranscriber({
    apiKey: fake.apiKey,
    baseURL: fake.baseURL,
    timeoutMs: 5_000,
    caller,
    budgetMs: () => 60_000,
  });

  return { transcriber, caller };
}

describe('WhisperTranscriber', () => {
  it.each(FIXTURES.map((fixture) => [fixture.file, fixture] as const))(
    'turns %s into a transaction',
    async (_, fixture) => {
      const { transcriber } = whisper();

      const transcript = await transcriber.transcribe({ bytes: fixture.bytes, mimeType: 'audio/ogg' });
      const parsed = parseMessage(transcript.text, {
        referenceTime: new Date('2026-03-18T12:00:00Z'),
        timeZone: 'UTC',
        homeCurrency: 'USD',
      });

      expect(transcript.text).toBe(fixture.text);
      expect(transcript.language).toBe(fixture.language);
      expect(transcript.durationSeconds).toBe(fixture.durationSeconds);
      expect(transcript.usage).toEqual({
        provider: 'openai',
        model: 'whisper-1',
        operation: 'transcribe',
        audioSeconds: fixture.durationSeconds,
      });
      expect(parsed.amount).toBe(fixture.expected.amount);
      expect(parsed.currency).toBe(fixture.expected.currency);
      expect(fake.requests).toHaveLength(1);
      expect(fake.requests[0]?.status).toBe(200);
    },
  );

  it('rejects audio over 25 MB without a request', async () => {
    const { transcriber } = whisper();
    const oversized = new Uint8Array(WHISPER_MAX_AUDIO_BYTES + 1);

    const error = await transcriber.transcribe({ bytes: oversized, mimeType: 'audio/ogg' }).catch((e) => e);

    expect(error).toBeInstanceOf(AudioTooLargeError);
    expect(error.sizeBytes).toBe(WHISPER_MAX_AUDIO_BYTES + 1);
    expect(error.limitBytes).toBe(WHISPER_MAX_AUDIO_BYTES);
    expect(fake.requests).toHaveLength(0);
  });

  it('rejects an unsupported MIME type without a request', async () => {
    const { transcriber } = whisper();

    await expect(transcriber.transcribe({ bytes: LUNCH.bytes, mimeType: 'video/mp4' })).rejects.toThrow(
      UnsupportedAudioError,
    );
    expect(fake.requests).toHaveLength(0);
  });

  it('retries a 429 after its Retry-After', async () => {
    const { transcriber, caller } = whisper();
    fake.respondNext(OPENAI_FAILURES.rateLimited);

    const transcript = await transcriber.transcribe({ bytes: LUNCH.bytes, mimeType: 'audio/ogg' });

    expect(transcript.text).toBe(LUNCH.text);
    expect(fake.requests.map((request) => request.status)).toEqual([429, 200]);
    expect(sleeps).toEqual([20_000]);
    expect(caller.stats.retries).toBe(1);
  });

  it('fails as retryable after three 500s', async () => {
    const { transcriber } = whisper();
    fake.respondNext(OPENAI_FAILURES.serverError, 3);

    const error = await transcriber.transcribe({ bytes: LUNCH.bytes, mimeType: 'audio/ogg' }).catch((e) => e);

    expect(error).toBeInstanceOf(TranscriptionFailedError);
    expect(error.provider).toBe('openai');
    expect(error.status).toBe(500);
    expect(error.retryable).toBe(true);
    expect(fake.requests.map((request) => request.status)).toEqual([500, 500, 500]);
    expect(sleeps).toHaveLength(2);
  });

  it('fails without retrying when the quota is exhausted', async () => {
    const { transcriber } = whisper();
    fake.respondNext(OPENAI_FAILURES.insufficientQuota);

    const error = await transcriber.transcribe({ bytes: LUNCH.bytes, mimeType: 'audio/ogg' }).catch((e) => e);

    expect(error).toBeInstanceOf(TranscriptionFailedError);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('no credit');
    expect(fake.requests).toHaveLength(1);
    expect(sleeps).toHaveLength(0);
  });

  it('reports audio that OpenAI cannot read as unsupported', async () => {
    const { transcriber } = whisper();
    const unknown = unregisteredCopy(LUNCH);

    const error = await transcriber.transcribe({ bytes: unknown, mimeType: 'audio/ogg' }).catch((e) => e);

    expect(error).toBeInstanceOf(UnsupportedAudioError);
    expect(fake.requests.map((request) => request.status)).toEqual([400]);
  });

  it('transcribes audio registered by the test', async () => {
    const { transcriber } = whisper();
    const bytes = unregisteredCopy(LUNCH);
    fake.registerAudio(bytes, 'uber 18.40', 2.5);

    const transcript = await transcriber.transcribe({ bytes, mimeType: 'audio/ogg' });

    expect(transcript.text).toBe('uber 18.40');
    expect(transcript.usage.audioSeconds).toBe(2.5);
  });
});
