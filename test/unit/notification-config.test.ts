import { ConfigError, loadProcessorConfig, loadWeeklySummaryConfig } from '../../lib/config';

const TABLES = {
  USERS_TABLE: 'users',
  IDENTITIES_TABLE: 'identities',
  TRANSACTIONS_TABLE: 'transactions',
  IDEMPOTENCY_TABLE: 'idempotency',
  RESILIENCE_TABLE: 'resilience',
};
const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/000000000000/financy-dev-notifications';

describe('loadWeeklySummaryConfig', () => {
  it('reads tables, queue and settings link', () => {
    const config = loadWeeklySummaryConfig({
      ...TABLES,
      NOTIFICATION_QUEUE_URL: QUEUE_URL,
      WEEKLY_SUMMARY_SETTINGS_URL: 'https://t.me/financy_bot',
    });

    expect(config).toEqual({
      tables: { users: 'users', transactions: 'transactions', idempotency: 'idempotency' },
      notificationQueueUrl: QUEUE_URL,
      settingsUrl: 'https://t.me/financy_bot',
    });
  });

  it('requires the notification queue', () => {
    expect(() => loadWeeklySummaryConfig(TABLES)).toThrow(
      new ConfigError('NOTIFICATION_QUEUE_URL', 'environment variable is required but not set.'),
    );
  });

  it('rejects a settings link without https', () => {
    expect(() =>
      loadWeeklySummaryConfig({
        ...TABLES,
        NOTIFICATION_QUEUE_URL: QUEUE_URL,
        WEEKLY_SUMMARY_SETTINGS_URL: 'http://financy.example.com/settings',
      }),
    ).toThrow('WEEKLY_SUMMARY_SETTINGS_URL: expected an https URL');
  });
});

describe('loadProcessorConfig notification queue', () => {
  const secrets = { TELEGRAM_BOT_TOKEN: '1:token', TELEGRAM_WEBHOOK_SECRET: 'secret' };

  it('leaves the queue unset by default', () => {
    expect(loadProcessorConfig({ ...TABLES, ...secrets }).notificationQueueUrl).toBeUndefined();
  });

  it('reads the queue URL', () => {
    expect(
      loadProcessorConfig({ ...TABLES, ...secrets, NOTIFICATION_QUEUE_URL: QUEUE_URL }).notificationQueueUrl,
    ).toBe(QUEUE_URL);
  });

  it('rejects a queue URL that is not a URL', () => {
    expect(() =>
      loadProcessorConfig({ ...TABLES, ...secrets, NOTIFICATION_QUEUE_URL: 'notifications' }),
    ).toThrow('NOTIFICATION_QUEUE_URL: expected an absolute URL');
  });
});
