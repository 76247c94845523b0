import { ConfigError, loadNotificationSenderConfig, loadSesFeedbackConfig } from '../../lib/config';

const SECRET_URL = 'https://hooks.slack.com/services/T000/B000/not-a-real-secret';

const SENDER_ENV = {
  USERS_TABLE: 'users',
  IDEMPOTENCY_TABLE: 'idempotency',
  RESILIENCE_TABLE: 'resilience',
  SUPPRESSIONS_TABLE: 'suppressions',
  NOTIFY_EMAIL_FROM: 'Financy <reports@fin.example.net>',
  NOTIFY_SES_CONFIGURATION_SET: 'financy-dev',
  SLACK_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:slack',
};

describe('loadNotificationSenderConfig', () => {
  it('reads the settings with defaults', () => {
    expect(loadNotificationSenderConfig(SENDER_ENV)).toEqual({
      tables: {
        users: 'users',
        idempotency: 'idempotency',
        resilience: 'resilience',
        suppressions: 'suppressions',
      },
      emailFrom: 'Financy <reports@fin.example.net>',
      sesConfigurationSet: 'financy-dev',
      smsSenderId: undefined,
      slackWebhooks: { kind: 'secrets-manager', secretId: SENDER_ENV.SLACK_SECRET_ARN, maxAgeSeconds: 300 },
      idempotencyRetentionSeconds: 168 * 3_600,
    });
  });

  it.each(['SUPPRESSIONS_TABLE', 'NOTIFY_EMAIL_FROM', 'NOTIFY_SES_CONFIGURATION_SET'])(
    'names missing %s',
    (name) => {
      const env: Record<string, string | undefined> = { ...SENDER_ENV, [name]: undefined };

      expect(() => loadNotificationSenderConfig(env)).toThrow(
        new ConfigError(name, 'environment variable is required but not set.'),
      );
    },
  );

  it('reads local webhook URLs by name', () => {
    const env = {
      ...SENDER_ENV,
      SLACK_SECRET_ARN: undefined,
      SLACK_WEBHOOK_URLS: JSON.stringify({ operations: SECRET_URL }),
    };

    expect(loadNotificationSenderConfig(env).slackWebhooks).toEqual({
      kind: 'environment',
      webhooks: { operations: SECRET_URL },
    });
  });

  it('asks for a Slack source when none is set', () => {
    expect(() => loadNotificationSenderConfig({ ...SENDER_ENV, SLACK_SECRET_ARN: undefined })).toThrow(
      'SLACK_SECRET_ARN: set it to the Secrets Manager secret',
    );
  });

  it('rejects an invalid webhook URL without repeating it', () => {
    const env = {
      ...SENDER_ENV,
      SLACK_SECRET_ARN: undefined,
      SLACK_WEBHOOK_URLS: JSON.stringify({ operations: 'hooks/secret-part' }),
    };

    expect(() => loadNotificationSenderConfig(env)).toThrow(
      'the URL of webhook "operations" is not an absolute',
    );
    try {
      loadNotificationSenderConfig(env);
    } catch (error) {
      expect((error as Error).message).not.toContain('secret-part');
    }
  });

  it('rejects an invalid SMS sender ID', () => {
    expect(() => loadNotificationSenderConfig({ ...SENDER_ENV, NOTIFY_SMS_SENDER_ID: '12345' })).toThrow(
      'NOTIFY_SMS_SENDER_ID',
    );
  });
});

describe('loadSesFeedbackConfig', () => {
  it('defaults the soft-bounce limit to 3', () => {
    expect(loadSesFeedbackConfig({ SUPPRESSIONS_TABLE: 'suppressions' })).toEqual({
      suppressionsTable: 'suppressions',
      transientBounceLimit: 3,
    });
  });

  it('rejects a limit of 0', () => {
    expect(() =>
      loadSesFeedbackConfig({ SUPPRESSIONS_TABLE: 'suppressions', NOTIFY_TRANSIENT_BOUNCE_LIMIT: '0' }),
    ).toThrow('NOTIFY_TRANSIENT_BOUNCE_LIMIT: expected a whole number from 1 to 100, got "0".');
  });
});
