/**
 * Environment that lets every function's handler module load: each one reads its configuration when it is
 * imported and fails without these variables. The values are placeholders, and every URL points at
 * 127.0.0.1. Loading a module creates AWS clients but sends no request. `npm run bench` and
 * test/infra/bundling.test.ts import the bundles with it.
 */
export const HANDLER_LOAD_ENVIRONMENT: Readonly<Record<string, string>> = {
  AWS_REGION: 'us-east-1',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  STAGE: 'dev',
  INBOUND_QUEUE_URL: 'http://127.0.0.1:9/000000000000/financy-dev-inbound.fifo',
  NOTIFICATION_QUEUE_URL: 'http://127.0.0.1:9/000000000000/financy-dev-notifications',
  TELEGRAM_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:financy-telegram',
  FX_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:financy-fx',
  SLACK_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:financy-slack',
  WHATSAPP_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:financy-whatsapp',
  WHATSAPP_STATE_TABLE: 'whatsapp-state',
  USERS_TABLE: 'users',
  IDENTITIES_TABLE: 'identities',
  TRANSACTIONS_TABLE: 'transactions',
  IDEMPOTENCY_TABLE: 'idempotency',
  RESILIENCE_TABLE: 'resilience',
  SUPPRESSIONS_TABLE: 'suppressions',
  FX_RATES_TABLE: 'fx-rates',
  FX_CURRENCIES: 'EUR,GBP',
  NOTIFY_EMAIL_FROM: 'Financy <reports@example.com>',
  NOTIFY_SES_CONFIGURATION_SET: 'financy-dev-notifications',
};
