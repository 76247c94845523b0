import { S3Client } from '@aws-sdk/client-s3';
import { TranscribeClient } from '@aws-sdk/client-transcribe';
import { AwsBatchTranscriber } from '../../lib/ai/transcribe/aws-transcribe';
import { createTranscriber, WhisperNotConfiguredError } from '../../lib/ai/transcribe/create-transcriber';
import { WhisperTranscriber } from '../../lib/ai/transcribe/whisper';
import { ConfigError, loadVoiceConfig } from '../../lib/config';
import type { ResilientCaller } from '../../lib/resilience/resilient-call';

const NO_CALLS: ResilientCaller = {
  call: () => Promise.reject(new Error('This test sends no calls.')),
  stats: {} as ResilientCaller['stats'],
};

describe('loadVoiceConfig', () => {
  it('selects Whisper by default', () => {
    expect(loadVoiceConfig({})).toEqual({ transcriber: 'whisper', whisperModel: 'whisper-1' });
  });

  it('reads the Transcribe settings', () => {
    const config = loadVoiceConfig({
      TRANSCRIBER: 'transcribe',
      TRANSCRIBE_BUCKET: 'financy-voice',
      TRANSCRIBE_LANGUAGE_OPTIONS: 'en-US, pt-BR',
      TRANSCRIBE_DEADLINE_MS: '20000',
      AWS_ENDPOINT_URL_TRANSCRIBE: 'http://127.0.0.1:9411/',
      AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9324',
    });

    expect(config).toEqual({
      transcriber: 'transcribe',
      transcribe: {
        bucket: 'financy-voice',
        language: { mode: 'identify', languageOptions: ['en-US', 'pt-BR'] },
        deadlineMs: 20_000,
        endpoint: 'http://127.0.0.1:9411',
        s3Endpoint: 'http://127.0.0.1:9324',
      },
    });
  });

  it('reads a fixed language code', () => {
    const config = loadVoiceConfig({
      TRANSCRIBER: 'transcribe',
      TRANSCRIBE_BUCKET: 'financy-voice',
      TRANSCRIBE_LANGUAGE_CODE: 'pt-BR',
    });

    expect(config.transcriber).toBe('transcribe');
    expect(config.transcriber === 'transcribe' ? config.transcribe.language : undefined).toEqual({
      mode: 'fixed',
      languageCode: 'pt-BR',
    });
  });

  it.each([
    [{ TRANSCRIBER: 'google' }, 'TRANSCRIBER'],
    [{ TRANSCRIBER: 'transcribe' }, 'TRANSCRIBE_BUCKET'],
    [
      { TRANSCRIBER: 'transcribe', TRANSCRIBE_BUCKET: 'b', TRANSCRIBE_LANGUAGE_CODE: 'english' },
      'TRANSCRIBE_LANGUAGE_CODE',
    ],
    [
      { TRANSCRIBER: 'transcribe', TRANSCRIBE_BUCKET: 'b', TRANSCRIBE_LANGUAGE_OPTIONS: 'en-US' },
      'TRANSCRIBE_LANGUAGE_OPTIONS',
    ],
    [
      {
        TRANSCRIBER: 'transcribe',
        TRANSCRIBE_BUCKET: 'b',
        TRANSCRIBE_LANGUAGE_CODE: 'en-US',
        TRANSCRIBE_LANGUAGE_OPTIONS: 'en-US,pt-BR',
      },
      'TRANSCRIBE_LANGUAGE_CODE',
    ],
    [
      { TRANSCRIBER: 'transcribe', TRANSCRIBE_BUCKET: 'b', TRANSCRIBE_DEADLINE_MS: '10' },
      'TRANSCRIBE_DEADLINE_MS',
    ],
  ])('rejects %j naming %s', (env, variable) => {
    let error: unknown;
    try {
      loadVoiceConfig(env);
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
  });
});

describe('createTranscriber', () => {
  it('builds Whisper with an OpenAI connection', () => {
    const transcriber = createTranscriber(loadVoiceConfig({}), {
      caller: NO_CALLS,
      budgetMs: () => 1_000,
      openai: { apiKey: 'sk-test', baseURL: 'http://127.0.0.1:9/v1', timeoutMs: 1_000 },
    });

    expect(transcriber).toBeInstanceOf(WhisperTranscriber);
  });

  it('rejects Whisper without an OpenAI connection', () => {
    expect(() => createTranscriber(loadVoiceConfig({}), { caller: NO_CALLS, budgetMs: () => 1_000 })).toThrow(
      WhisperNotConfiguredError,
    );
  });

  it('builds the batch transcriber for TRANSCRIBER=transcribe', () => {
    const transcribeClient = new TranscribeClient({ region: 'us-east-1' });
    const s3Client = new S3Client({ region: 'us-east-1' });
    const config = loadVoiceConfig({ TRANSCRIBER: 'transcribe', TRANSCRIBE_BUCKET: 'financy-voice' });

    const transcriber = createTranscriber(config, {
      caller: NO_CALLS,
      budgetMs: () => 1_000,
      transcribeClient,
      s3Client,
    });

    expect(transcriber).toBeInstanceOf(AwsBatchTranscriber);
    transcribeClient.destroy();
    s3Client.destroy();
  });
});
