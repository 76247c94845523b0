import { ConfigError, loadProcessorConfig, loadTelegramWebhookConfig } from '../../lib/config';

const WEBHOOK_ENV = {
  INBOUND_QUEUE_URL: 'http://127.0.0.1:4566/000000000000/financy-inbound.fifo',
  TELEGRAM_BOT_TOKEN: '123456:local-token',
  TELEGRAM_WEBHOOK_SECRET: 'local-secret',
};

const PROCESSOR_ENV = {
  USERS_TABLE: 'financy-users',
  IDENTITIES_TABLE: 'financy-identities',
  TRANSACTIONS_TABLE: 'financy-transactions',
  IDEMPOTENCY_TABLE: 'financy-idempotency',
  RESILIENCE_TABLE: 'financy-resilience',
  TELEGRAM_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:000000000000:secret:financy-telegram',
};

function configError(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) {
      return error;
    }
    throw error;
  }

  throw new Error('expected a ConfigError, but the configuration loaded');
}

describe('loadTelegramWebhookConfig', () => {
  it('applies defaults', () => {
    expect(loadTelegramWebhookConfig(WEBHOOK_ENV)).toEqual({
      inboundQueueUrl: WEBHOOK_ENV.INBOUND_QUEUE_URL,
      secrets: { kind: 'environment', botToken: '123456:local-token', webhookSecret: 'local-secret' },
      checkSourceIp: true,
      maxBodyBytes: 1_048_576,
    });
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['blank', '   '],
  ])('names %s queue URL', (_case, value) => {
    const error = configError(() => loadTelegramWebhookConfig({ ...WEBHOOK_ENV, INBOUND_QUEUE_URL: value }));

    expect(error.variable).toBe('INBOUND_QUEUE_URL');
  });

  it('puts variable in message', () => {
    const error = configError(() =>
      loadTelegramWebhookConfig({ ...WEBHOOK_ENV, INBOUND_QUEUE_URL: undefined }),
    );

    expect(error.message).toBe('INBOUND_QUEUE_URL: environment variable is required but not set.');
  });

  it('trims values', () => {
    const config = loadTelegramWebhookConfig({
      ...WEBHOOK_ENV,
      INBOUND_QUEUE_URL: '  http://127.0.0.1/q.fifo \n',
    });

    expect(config.inboundQueueUrl).toBe('http://127.0.0.1/q.fifo');
  });

  it.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['yes', true],
    ['on', true],
    ['false', false],
    ['False', false],
    ['0', false],
    ['no', false],
    ['off', false],
  ])('reads IP check %s', (value, expected) => {
    expect(loadTelegramWebhookConfig({ ...WEBHOOK_ENV, TELEGRAM_IP_CHECK: value }).checkSourceIp).toBe(
      expected,
    );
  });

  it.each(['maybe', 'enabled', '2'])('rejects IP check %s', (value) => {
    const error = configError(() => loadTelegramWebhookConfig({ ...WEBHOOK_ENV, TELEGRAM_IP_CHECK: value }));

    expect(error.message).toBe(`TELEGRAM_IP_CHECK: expected true or false, got "${value}".`);
  });

  it.each([
    ['1024', 1_024],
    ['2048', 2_048],
    ['10485760', 10_485_760],
  ])('reads body limit %s', (value, expected) => {
    const config = loadTelegramWebhookConfig({ ...WEBHOOK_ENV, WEBHOOK_MAX_BODY_BYTES: value });

    expect(config.maxBodyBytes).toBe(expected);
  });

  it.each(['abc', '1.5', '1023', '10485761', '-2048', '1MB'])('rejects body limit %s', (value) => {
    const error = configError(() =>
      loadTelegramWebhookConfig({ ...WEBHOOK_ENV, WEBHOOK_MAX_BODY_BYTES: value }),
    );

    expect(error.message).toBe(
      `WEBHOOK_MAX_BODY_BYTES: expected a whole number from 1024 to 10485760, got "${value}".`,
    );
  });

  it('reads secret ARN', () => {
    const config = loadTelegramWebhookConfig({
      INBOUND_QUEUE_URL: WEBHOOK_ENV.INBOUND_QUEUE_URL,
      TELEGRAM_SECRET_ARN: PROCESSOR_ENV.TELEGRAM_SECRET_ARN,
    });

    expect(config.secrets).toEqual({
      kind: 'secrets-manager',
      secretId: PROCESSOR_ENV.TELEGRAM_SECRET_ARN,
      maxAgeSeconds: 300,
    });
  });

  it('prefers ARN over plain secrets', () => {
    const config = loadTelegramWebhookConfig({ ...WEBHOOK_ENV, TELEGRAM_SECRET_ARN: 'arn:secret' });

    expect(config.secrets.kind).toBe('secrets-manager');
  });

  it('reads secrets cache age', () => {
    const config = loadTelegramWebhookConfig({
      ...WEBHOOK_ENV,
      TELEGRAM_SECRET_ARN: 'arn:secret',
      SECRETS_CACHE_SECONDS: '0',
    });

    expect(config.secrets).toMatchObject({ maxAgeSeconds: 0 });
  });

  it('rejects negative cache age', () => {
    const error = configError(() =>
      loadTelegramWebhookConfig({
        ...WEBHOOK_ENV,
        TELEGRAM_SECRET_ARN: 'arn:secret',
        SECRETS_CACHE_SECONDS: '-1',
      }),
    );

    expect(error.variable).toBe('SECRETS_CACHE_SECONDS');
  });

  it.each([
    ['no secret at all', { TELEGRAM_BOT_TOKEN: undefined, TELEGRAM_WEBHOOK_SECRET: undefined }],
    ['only bot token', { TELEGRAM_WEBHOOK_SECRET: undefined }],
    ['only webhook secret', { TELEGRAM_BOT_TOKEN: undefined }],
    ['empty webhook secret', { TELEGRAM_WEBHOOK_SECRET: '' }],
  ])('names secret ARN with %s', (_case, override) => {
    const error = configError(() => loadTelegramWebhookConfig({ ...WEBHOOK_ENV, ...override }));

    expect(error.variable).toBe('TELEGRAM_SECRET_ARN');
  });

  it('explains both secret options', () => {
    const error = configError(() => loadTelegramWebhookConfig({ INBOUND_QUEUE_URL: 'http://127.0.0.1/q' }));

    expect(error.message).toContain('TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET');
  });

  it('raises ConfigError by name', () => {
    const error = configError(() => loadTelegramWebhookConfig({}));

    expect(error.name).toBe('ConfigError');
  });
});

describe('loadProcessorConfig', () => {
  it('applies defaults', () => {
    expect(loadProcessorConfig(PROCESSOR_ENV)).toEqual({
      tables: {
        users: 'financy-users',
        identities: 'financy-identities',
        transactions: 'financy-transactions',
        idempotency: 'financy-idempotency',
        resilience: 'financy-resilience',
      },
      secrets: { kind: 'secrets-manager', secretId: PROCESSOR_ENV.TELEGRAM_SECRET_ARN, maxAgeSeconds: 300 },
      telegramApiBaseUrl: 'https://api.telegram.org',
      idempotencyRetentionSeconds: 168 * 3_600,
      defaultCurrency: 'USD',
      defaultTimeZone: 'UTC',
      ai: {
        openai: {
          baseURL: 'https://api.openai.com/v1',
          model: 'gpt-4.1-mini',
          timeoutMs: 10_000,
          insightsEnabled: false,
        },
        ocr: { engine: 'tesseract' },
        offlineOcr: true,
        budget: { dailyLimitMicroUsd: 50_000 },
        maxImageBytes: 10 * 1_048_576,
      },
    });
  });

  it('turns the AI services on from their settings', () => {
    const config = loadProcessorConfig({
      ...PROCESSOR_ENV,
      OPENAI_API_KEY: 'sk-test',
      VISION_API_KEY: 'vision-test',
      RECEIPTS_BUCKET: 'financy-receipts',
      OCR_OFFLINE: 'false',
      AI_DAILY_BUDGET_USD: '0.10',
    });

    expect(config.ai).toMatchObject({
      voice: { transcriber: 'whisper', whisperModel: 'whisper-1' },
      ocr: { engine: 'google-vision' },
      offlineOcr: false,
      receiptArchive: { bucket: 'financy-receipts' },
      budget: { dailyLimitMicroUsd: 100_000 },
    });
  });

  it('leaves Whisper off without an OpenAI key', () => {
    expect(loadProcessorConfig(PROCESSOR_ENV).ai.voice).toBeUndefined();
  });

  it.each(['USERS_TABLE', 'IDENTITIES_TABLE', 'TRANSACTIONS_TABLE', 'IDEMPOTENCY_TABLE', 'RESILIENCE_TABLE'])(
    'names missing %s',
    (variable) => {
      const error = configError(() => loadProcessorConfig({ ...PROCESSOR_ENV, [variable]: undefined }));

      expect(error.message).toBe(`${variable}: environment variable is required but not set.`);
    },
  );

  it('upper-cases currency', () => {
    expect(loadProcessorConfig({ ...PROCESSOR_ENV, DEFAULT_CURRENCY: 'eur' }).defaultCurrency).toBe('EUR');
  });

  it.each(['EURO', 'E1R', '€', 'US'])('rejects currency %s', (value) => {
    const error = configError(() => loadProcessorConfig({ ...PROCESSOR_ENV, DEFAULT_CURRENCY: value }));

    expect(error.message).toBe(
      `DEFAULT_CURRENCY: expected an ISO 4217 code such as EUR, got "${value.toUpperCase()}".`,
    );
  });

  it('reads time zone', () => {
    const config = loadProcessorConfig({ ...PROCESSOR_ENV, DEFAULT_TIME_ZONE: 'Pacific/Auckland' });

    expect(config.defaultTimeZone).toBe('Pacific/Auckland');
  });

  it.each(['Mars/Olympus_Mons', 'Lisbon', 'UTC+1'])('rejects time zone %s', (value) => {
    const error = configError(() => loadProcessorConfig({ ...PROCESSOR_ENV, DEFAULT_TIME_ZONE: value }));

    expect(error.message).toBe(
      `DEFAULT_TIME_ZONE: "${value}" is not an IANA time zone such as Europe/Lisbon.`,
    );
  });

  it.each([
    ['http://127.0.0.1:8081', 'http://127.0.0.1:8081'],
    ['http://127.0.0.1:8081/', 'http://127.0.0.1:8081'],
    ['http://127.0.0.1:8081/bot-api//', 'http://127.0.0.1:8081/bot-api'],
  ])('reads API URL %s', (value, expected) => {
    const config = loadProcessorConfig({ ...PROCESSOR_ENV, TELEGRAM_API_BASE_URL: value });

    expect(config.telegramApiBaseUrl).toBe(expected);
  });

  it.each(['api.telegram.org', '/bot-api', 'not a url'])('rejects API URL %s', (value) => {
    const error = configError(() => loadProcessorConfig({ ...PROCESSOR_ENV, TELEGRAM_API_BASE_URL: value }));

    expect(error.message).toBe(`TELEGRAM_API_BASE_URL: expected an absolute URL, got "${value}".`);
  });

  it('converts retention hours to seconds', () => {
    const config = loadProcessorConfig({ ...PROCESSOR_ENV, IDEMPOTENCY_RETENTION_HOURS: '24' });

    expect(config.idempotencyRetentionSeconds).toBe(86_400);
  });

  it.each(['0', '8761', 'week', '1.5'])('rejects retention %s', (value) => {
    const error = configError(() =>
      loadProcessorConfig({ ...PROCESSOR_ENV, IDEMPOTENCY_RETENTION_HOURS: value }),
    );

    expect(error.variable).toBe('IDEMPOTENCY_RETENTION_HOURS');
  });

  it('accepts local secrets', () => {
    const { TELEGRAM_SECRET_ARN: _arn, ...local } = PROCESSOR_ENV;

    const config = loadProcessorConfig({ ...local, TELEGRAM_BOT_TOKEN: 't', TELEGRAM_WEBHOOK_SECRET: 's' });

    expect(config.secrets).toEqual({ kind: 'environment', botToken: 't', webhookSecret: 's' });
  });
});

describe('loadProcessorConfig FX rates', () => {
  it('omits FX rates without table', () => {
    expect(loadProcessorConfig(PROCESSOR_ENV).fxRates).toBeUndefined();
  });

  it('reads FX table with USD base', () => {
    const config = loadProcessorConfig({ ...PROCESSOR_ENV, FX_RATES_TABLE: 'financy-fx-rates' });

    expect(config.fxRates).toEqual({ table: 'financy-fx-rates', baseCurrency: 'USD' });
  });

  it('reads FX base currency', () => {
    const config = loadProcessorConfig({
      ...PROCESSOR_ENV,
      FX_RATES_TABLE: 'financy-fx-rates',
      FX_BASE_CURRENCY: 'eur',
    });

    expect(config.fxRates?.baseCurrency).toBe('EUR');
  });

  it('rejects invalid FX base currency', () => {
    const error = configError(() =>
      loadProcessorConfig({ ...PROCESSOR_ENV, FX_RATES_TABLE: 'financy-fx-rates', FX_BASE_CURRENCY: 'EURO' }),
    );

    expect(error.variable).toBe('FX_BASE_CURRENCY');
  });
});
