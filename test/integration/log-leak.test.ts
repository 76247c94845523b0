import { randomBytes } from 'node:crypto';
import { GetQueueAttributesCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Update } from '@grammyjs/types';
import type { CdkCustomResourceEvent, Context, SNSEvent } from 'aws-lambda';
import { createAlarmNotifierHandler } from '../../functions/alarm-notifier/create-handler';
import { createFxRefreshHandler } from '../../functions/fx-refresh/create-handler';
import { createSesFeedbackHandler } from '../../functions/ses-feedback/create-handler';
import { createWeeklySummaryHandler } from '../../functions/weekly-summary/create-handler';
import { startFakeFx } from '../../infra/local/fake-fx/server';
import { SES_ERRORS } from '../../infra/local/fake-ses/server';
import { SLACK_ERRORS } from '../../infra/local/fake-slack/server';
import { startFakeTelegram } from '../../infra/local/fake-telegram/server';
import type { FakeTelegram } from '../../infra/local/fake-telegram/types';
import { startFakeWhatsApp } from '../../infra/local/fake-whatsapp/server';
import { localLambdaContext } from '../../infra/local/lambda-context';
import { createLocalSqsClient } from '../../infra/local/sqs-client';
import { type LocalStack, startLocalStack } from '../../infra/local/stack';
import { type ChatUser, callbackUpdate, editedUpdate, textUpdate } from '../../infra/local/update-factory';
import { loadFxRefreshConfig, loadWeeklySummaryConfig } from '../../lib/config';
import { fxEnvironment } from '../support/fx-environment';
import { createFxTables } from '../support/fx-tables';
import { type AiObservations, aiPlantedValues, driveAi, startLeakAi } from '../support/leak-ai';
import { countItems, formatCounts, LeakCapture, subtractCounts, UNATTRIBUTED } from '../support/leak-capture';
import {
  customResourceEvent,
  LEAK_WHATSAPP_PHONE_NUMBER_ID,
  misshapenUpdate,
  photoUpdate,
  sampleSnsEvent,
  scheduledEvent,
  sesFeedbackEvent,
} from '../support/leak-events';
import {
  type CapturedKind,
  describeLeaks,
  findLeaks,
  PLANTED_BOT_TOKEN,
  PLANTED_BROKEN_BODY_WORD,
  PLANTED_CALLBACK_DATA,
  PLANTED_CAPTION,
  PLANTED_EDITED_MERCHANT,
  PLANTED_EMAIL,
  PLANTED_FX_API_KEY,
  PLANTED_PHONE,
  PLANTED_TEXT,
  PLANTED_WEBHOOK_SECRET,
  PLANTED_WHATSAPP_ACCESS_TOKEN,
  PLANTED_WHATSAPP_APP_SECRET,
  PLANTED_WHATSAPP_VERIFY_TOKEN,
  PLANTED_WRONG_SECRET,
  type PlantedValue,
  staticPlantedValues,
} from '../support/leak-planted';
import { startFakeSecretsManager } from '../support/leak-secrets-manager';
import { driveWhatsApp, WHATSAPP_WEBHOOK_SOURCE, type WhatsAppObservations } from '../support/leak-whatsapp';
import { snsEvent } from '../support/notify-harness';

/**
 * Plants secrets, personal data and message texts, then drives every function through its success and
 * failure paths on the local stack and the fakes. The test fails when a planted value appears in a log line,
 * error, metric data point, EMF line, trace annotation or subsegment, response or process output.
 */

const FUNCTIONS = [
  'telegram-webhook',
  WHATSAPP_WEBHOOK_SOURCE,
  'message-processor',
  'telegram-register-webhook',
  'fx-refresh',
  'notification-sender',
  'ses-feedback',
  'weekly-summary',
  'alarm-notifier',
] as const;

/** Functions that take a fake tracer and a metrics sink. The others create their own or have none. */
const TRACED_FUNCTIONS = [
  'telegram-webhook',
  WHATSAPP_WEBHOOK_SOURCE,
  'message-processor',
  'fx-refresh',
  'notification-sender',
  'ses-feedback',
  'alarm-notifier',
] as const;

/** Functions whose failure paths above throw or fail records. */
const FUNCTIONS_WITH_ERRORS = [
  'message-processor',
  'telegram-register-webhook',
  'fx-refresh',
  'notification-sender',
  'weekly-summary',
  'alarm-notifier',
] as const;

const CHECKED_SOURCES: readonly string[] = [...FUNCTIONS, UNATTRIBUTED];

const PRINTED_KINDS: readonly CapturedKind[] = [
  'log line',
  'error',
  'trace error',
  'metric data point',
  'EMF line',
  'trace annotation',
  'trace subsegment',
  'HTTP response',
  'handler result',
  'stdout write',
  'stderr write',
  'console call',
];

const TELEGRAM_SECRET_ARN =
  'arn:aws:secretsmanager:us-east-1:000000000000:secret:financy-test-telegram-LeAk01';
const FX_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:financy-test-fx-LeAk02';
const SLACK_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:financy-test-slack-LeAk03';
const MISSING_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:financy-test-missing-LeAk04';
const WHATSAPP_SECRET_ARN =
  'arn:aws:secretsmanager:us-east-1:000000000000:secret:financy-test-whatsapp-LeAk05';

const SERVER_ERROR = {
  status: 500,
  body: { ok: false, error_code: 500, description: 'Internal Server Error' },
};
const UNAUTHORIZED = { status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } };

const PLANTER: ChatUser = { id: 64_310_001, firstName: 'Lena', languageCode: 'en' };
const BLOCKING_USER: ChatUser = { id: 64_310_002, firstName: 'Bram', languageCode: 'en' };
const AI_USER: ChatUser = { id: 64_310_003, firstName: 'Odile', languageCode: 'en' };

/** What the drive saw, to check that each failure path really ran. */
interface Observations {
  webhookStatuses: Record<string, number>;
  botApiServerErrors: number;
  botApiForbidden: number;
  confirmationCodeFound: boolean;
  sesRejections: number;
  smsSent: number;
  slackStatuses: number[];
  fxErrorTypes: string[];
  fxFailures: number;
  registrationOutcomes: string[];
  weeklySummaryOutcomes: string[];
  alarmOutcomes: string[];
  feedbackOutcomes: string[];
  feedbackMalformed: number;
  /** GetSecretValue requests per secret ARN. */
  secretReads: Record<string, number>;
  whatsapp?: WhatsAppObservations;
  ai?: AiObservations;
  /** Items captured while the WhatsApp channel was driven, per source and kind. */
  whatsappCounts: Map<string, Map<CapturedKind, number>>;
}

const capture = new LeakCapture();
const planted: PlantedValue[] = [...staticPlantedValues(), ...aiPlantedValues()];
const observations: Observations = {
  webhookStatuses: {},
  botApiServerErrors: 0,
  botApiForbidden: 0,
  confirmationCodeFound: false,
  sesRejections: 0,
  smsSent: 0,
  slackStatuses: [],
  fxErrorTypes: [],
  fxFailures: 0,
  registrationOutcomes: [],
  weeklySummaryOutcomes: [],
  alarmOutcomes: [],
  feedbackOutcomes: [],
  feedbackMalformed: 0,
  secretReads: {},
  whatsappCounts: new Map(),
};

async function waitFor(condition: () => boolean | Promise<boolean>, description: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}.`);
}

/** Waits until a standard queue has no visible or in-flight message in two checks in a row. */
async function waitForEmptyQueue(sqs: SQSClient, queueUrl: string, description: string): Promise<void> {
  let quietChecks = 0;
  await waitFor(
    async () => {
      const { Attributes: attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      const pending =
        Number(attributes.ApproximateNumberOfMessages ?? 0) +
        Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
      quietChecks = pending === 0 ? quietChecks + 1 : 0;
      return quietChecks >= 2;
    },
    description,
    60_000,
  );
}

/** Runs a handler directly, keeping its result or its error as captured items of `source`. */
async function invoke<T>(source: string, run: () => Promise<T>): Promise<{ result?: T; error?: unknown }> {
  try {
    const result = await run();
    capture.add(source, 'handler result', JSON.stringify(result) ?? 'undefined');
    return { result };
  } catch (error) {
    capture.addError(source, error);
    return { error };
  }
}

function outcomeOf(outcome: { result?: unknown; error?: unknown }): string {
  return outcome.error === undefined ? 'ok' : ((outcome.error as Error).name ?? 'error');
}

/**
 * Returns the bot's latest delivered message: its id and the callback data of its buttons. The fake Bot
 * API's message list cannot be used here, because update-factory numbers user messages on its own, and a
 * user message that gets the id of an earlier bot message replaces it in that list.
 */
function lastBotMessage(telegram: FakeTelegram): { messageId: number; buttons: string[] } {
  for (const call of [...telegram.calls].reverse()) {
    const body = typeof call.response === 'object' ? call.response.body : undefined;
    const messageId = (body as { result?: { message_id?: unknown } } | undefined)?.result?.message_id;
    if (call.method === 'sendMessage' && typeof messageId === 'number') {
      const markup = call.params.reply_markup as
        | { inline_keyboard?: { callback_data?: string }[][] }
        | undefined;
      const buttons = (markup?.inline_keyboard ?? []).flat().map((button) => button.callback_data ?? '');
      return { messageId, buttons };
    }
  }
  throw new Error('The bot has not sent a message yet.');
}

const RIGHT_SECRET = { 'x-telegram-bot-api-secret-token': PLANTED_WEBHOOK_SECRET };

/** Posts a raw body to the webhook, keeping the response as a captured item and its status by `label`. */
async function postToWebhook(
  stack: LocalStack,
  label: string,
  body: string,
  headers: Record<string, string>,
): Promise<void> {
  const response = await fetch(stack.webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  capture.add('telegram-webhook', 'HTTP response', `${response.status} ${await response.text()}`);
  observations.webhookStatuses[label] = response.status;
}

/** Posts an update with the right secret, as Telegram does, and waits until the processor is done. */
async function deliver(
  stack: LocalStack,
  telegram: FakeTelegram,
  label: string,
  update: Update,
): Promise<void> {
  telegram.observeUpdate(update);
  await postToWebhook(stack, label, JSON.stringify(update), RIGHT_SECRET);
  await stack.settle(60_000);
}

/** Drives the chat side: the webhook over HTTP, the processor on the inbound queue, and the fake Bot API. */
async function driveChat(stack: LocalStack, telegram: FakeTelegram): Promise<void> {
  const rejected = textUpdate(PLANTED_TEXT, { user: PLANTER });
  await postToWebhook(stack, 'wrong secret', JSON.stringify(rejected), {
    'x-telegram-bot-api-secret-token': PLANTED_WRONG_SECRET,
  });
  await postToWebhook(stack, 'no secret', JSON.stringify(rejected), {});
  await postToWebhook(
    stack,
    'invalid JSON',
    `{"update_id": 1, "message": {"text": "${PLANTED_BROKEN_BODY_WORD}`,
    RIGHT_SECRET,
  );
  await postToWebhook(
    stack,
    'invalid shape',
    JSON.stringify(misshapenUpdate(PLANTED_TEXT, PLANTER)),
    RIGHT_SECRET,
  );

  const expense = textUpdate(PLANTED_TEXT, { user: PLANTER });
  await deliver(stack, telegram, 'expense', expense);
  await deliver(stack, telegram, 'caption', photoUpdate(PLANTED_CAPTION, PLANTER));

  // The next two sendMessage calls get a 500, so the record fails twice before its third delivery works.
  telegram.failNext('sendMessage', SERVER_ERROR, 2);
  await deliver(
    stack,
    telegram,
    'expense during Bot API 5xx',
    textUpdate(`dinner ${PLANTED_TEXT}`, { user: PLANTER }),
  );
  const saved = lastBotMessage(telegram);
  await deliver(
    stack,
    telegram,
    'callback',
    callbackUpdate(PLANTED_CALLBACK_DATA, saved.messageId, { user: PLANTER }),
  );
  // Confirm edits the saved message, and the edit gets a 500 once.
  telegram.failNext('editMessageText', SERVER_ERROR);
  const confirm = saved.buttons.find((data) => data.startsWith('c:')) ?? 'c:missing';
  await deliver(
    stack,
    telegram,
    'confirm during Bot API 5xx',
    callbackUpdate(confirm, saved.messageId, { user: PLANTER }),
  );
  await deliver(
    stack,
    telegram,
    'edited message',
    editedUpdate(`taxi 12.40 at ${PLANTED_EDITED_MERCHANT}`, expense.message!.message_id, { user: PLANTER }),
  );
  observations.botApiServerErrors = telegram.calls.filter(
    (call) => typeof call.response === 'object' && call.response.status === 500,
  ).length;

  telegram.blockChat(BLOCKING_USER.id);
  await deliver(stack, telegram, 'blocked chat', textUpdate(PLANTED_TEXT, { user: BLOCKING_USER }));
  observations.botApiForbidden = telegram.calls.filter(
    (call) => typeof call.response === 'object' && call.response.status === 403,
  ).length;
}

/** Drives /settings, which sends the e-mail confirmation code through the notification sender. */
async function driveSettings(stack: LocalStack, telegram: FakeTelegram): Promise<void> {
  const ses = stack.notifications!.ses;
  const say = (text: string) => deliver(stack, telegram, text, textUpdate(text, { user: PLANTER }));

  await say(`/settings email ${PLANTED_EMAIL}`);
  await waitFor(() => ses.sent.length > 0, 'the confirmation e-mail');
  const code = /\b(\d{6,8})\b/.exec(ses.sent[0]?.text ?? '')?.[1];
  observations.confirmationCodeFound = code !== undefined;
  if (code !== undefined) {
    planted.push({ label: 'e-mail confirmation code', value: code, standaloneDigits: true });
    await say(code);
  }
  await say(`/settings sms ${PLANTED_PHONE}`);
  await say('/settings');
  const settings = lastBotMessage(telegram).messageId;
  await deliver(
    stack,
    telegram,
    'weekly summary on',
    callbackUpdate('ntf:weekly:on', settings, { user: PLANTER }),
  );
}

/**
 * Runs weekly-summary on the stack's tables, first with a notification queue that does not exist and then
 * with the stack's queue.
 */
async function driveWeeklySummary(stack: LocalStack, sqs: SQSClient): Promise<void> {
  const notifications = stack.notifications!;
  const config = loadWeeklySummaryConfig({
    USERS_TABLE: stack.resources.tables.users,
    TRANSACTIONS_TABLE: stack.resources.tables.transactions,
    IDEMPOTENCY_TABLE: stack.resources.tables.idempotency,
    NOTIFICATION_QUEUE_URL: notifications.queueUrl,
  });
  const logger = capture.logger('weekly-summary');
  // The run summarizes the week before its event's time, which then contains today's transactions.
  const nextWeek = scheduledEvent(new Date(Date.now() + 7 * 86_400_000), 'financy-test-weekly-summary');
  const broken = createWeeklySummaryHandler(
    { ...config, notificationQueueUrl: `${notifications.queueUrl}-missing` },
    { logger, sqs },
  );
  const working = createWeeklySummaryHandler(config, { logger, sqs });

  const failed = await invoke('weekly-summary', () =>
    broken(nextWeek, localLambdaContext('weekly-summary', 60)),
  );
  // SES rejects the e-mail summary once, and the SMS goes out.
  notifications.ses.failNext('SendEmail', SES_ERRORS.messageRejected);
  const queued = await invoke('weekly-summary', () =>
    working(nextWeek, localLambdaContext('weekly-summary', 60)),
  );
  observations.weeklySummaryOutcomes = [outcomeOf(failed), outcomeOf(queued)];
  await waitForEmptyQueue(sqs, notifications.queueUrl, 'the weekly summaries to be sent');
  observations.sesRejections = notifications.ses.calls.filter(
    (call) => call.errorType === 'MessageRejected',
  ).length;
  observations.smsSent = notifications.sns.published.length;
}

/** Runs alarm-notifier, whose Slack alerts the stack's sender posts through a 429 and two 4xx responses. */
async function driveAlarms(stack: LocalStack, sqs: SQSClient): Promise<void> {
  const notifications = stack.notifications!;
  const config = {
    notificationQueueUrl: notifications.queueUrl,
    stage: 'test',
    slackWebhook: 'operations',
    fxRefreshFunctionNames: [],
  };
  const overrides = {
    logger: capture.logger('alarm-notifier'),
    tracer: capture.tracer('alarm-notifier'),
    sqs,
  };
  const handler = createAlarmNotifierHandler(config, overrides);
  const broken = createAlarmNotifierHandler(
    { ...config, notificationQueueUrl: `${notifications.queueUrl}-missing` },
    overrides,
  );
  const context = () => localLambdaContext('alarm-notifier', 30);
  notifications.slack.failNext('operations', SLACK_ERRORS.rateLimited(1));
  notifications.slack.failNext('operations', SLACK_ERRORS.noService);
  notifications.slack.failNext('operations', SLACK_ERRORS.actionProhibited);

  const events: SNSEvent[] = [
    sampleSnsEvent('alarm-dead-letter-queue-not-empty.json'),
    sampleSnsEvent('alarm-circuit-open-math-expression.json'),
    sampleSnsEvent('alarm-fx-rates-stale.json'),
    sampleSnsEvent('alarm-returned-to-ok.json'),
    snsEvent(['ALARM, but not a CloudWatch alarm message']),
  ];
  for (const event of events) {
    observations.alarmOutcomes.push(
      outcomeOf(await invoke('alarm-notifier', () => handler(event, context()))),
    );
  }
  observations.alarmOutcomes.push(
    outcomeOf(await invoke('alarm-notifier', () => broken(events[0]!, context()))),
  );
  await waitForEmptyQueue(sqs, notifications.queueUrl, 'the Slack alerts to be sent');
  observations.slackStatuses = notifications.slack.calls.map((call) => call.status);
}

/** Sends bodies that are not valid notifications straight to the notification queue. */
async function driveBadNotifications(stack: LocalStack, sqs: SQSClient): Promise<void> {
  const queueUrl = stack.notifications!.queueUrl;
  const bodies = [
    JSON.stringify({
      version: 1,
      kind: 'email',
      idempotencyKey: 'leak:bad:1',
      correlationId: 'leak-bad-1',
      recipient: { emailAddress: PLANTED_EMAIL },
      template: 'no-such-template',
      data: { text: PLANTED_TEXT },
    }),
    `{"version":1,"kind":"sms","recipient":{"phoneNumber":"${PLANTED_PHONE}"`,
    JSON.stringify({
      version: 7,
      kind: 'sms',
      idempotencyKey: 'leak:bad:3',
      correlationId: 'leak-bad-3',
      recipient: { phoneNumber: PLANTED_PHONE },
      template: 'operations-alert',
      data: {},
    }),
  ];
  for (const body of bodies) {
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
  }
  await waitForEmptyQueue(sqs, queueUrl, 'the invalid notifications to be handled');
}

/** Runs ses-feedback on feedback about the confirmation e-mail, two unreadable messages included. */
async function driveSesFeedback(stack: LocalStack, prefix: string): Promise<void> {
  const handler = createSesFeedbackHandler(
    { suppressionsTable: `${prefix}-suppressions`, transientBounceLimit: 2 },
    {
      logger: capture.logger('ses-feedback'),
      metrics: capture.metrics('ses-feedback'),
      tracer: capture.tracer('ses-feedback'),
    },
  );
  const [email] = stack.notifications!.ses.sent;
  const event = sesFeedbackEvent(PLANTED_EMAIL, {
    messageId: email?.messageId ?? 'leak-unknown-message',
    tags: email?.tags ?? {},
  });
  const outcome = await invoke('ses-feedback', () => handler(event, localLambdaContext('ses-feedback', 30)));
  observations.feedbackOutcomes.push(outcomeOf(outcome));
  observations.feedbackMalformed = outcome.result?.outcomes.malformed ?? 0;
}

/**
 * Runs fx-refresh with the planted key from Secrets Manager against its own fake providers. They are healthy
 * first, then the key's quota is reached, then the key is rejected, and at last every provider fails, so the
 * refresh throws.
 */
async function driveFxRefresh(): Promise<void> {
  const fake = await startFakeFx({ apiKey: PLANTED_FX_API_KEY });
  const tables = await createFxTables('leak-fx');
  try {
    const environment = fxEnvironment(tables, fake, { FX_SECRET_ARN });
    delete environment.FX_EXCHANGERATE_API_KEY;
    const handler = createFxRefreshHandler(loadFxRefreshConfig(environment), {
      logger: capture.logger('fx-refresh'),
      metrics: capture.metrics('fx-refresh'),
      tracer: capture.tracer('fx-refresh'),
      dynamodb: tables.dynamodb,
    });
    const refresh = async () => {
      const outcome = await invoke('fx-refresh', () =>
        handler(scheduledEvent(new Date(), 'financy-test-fx-refresh'), localLambdaContext('fx-refresh', 60)),
      );
      observations.fxFailures += outcome.error === undefined ? 0 : 1;
      const providers = (outcome.result ?? outcome.error) as { providers?: { errorType?: string }[] };
      for (const { errorType } of providers.providers ?? []) {
        if (errorType !== undefined) {
          observations.fxErrorTypes.push(errorType);
        }
      }
    };

    await refresh();
    fake.setBehaviour('exchangerate-api', 'quota-reached');
    await refresh();
    fake.setBehaviour('exchangerate-api', 'invalid-key');
    await refresh();
    fake.setBehaviour('frankfurter', 'html-503');
    fake.setBehaviour('currency-api', 'html-503');
    await refresh();
  } finally {
    tables.destroy();
    await fake.stop();
  }
}

/** Runs telegram-register-webhook's Lambda entry point against a fake Bot API that accepts the planted token. */
async function driveWebhookRegistration(): Promise<void> {
  const telegram = await startFakeTelegram({ token: PLANTED_BOT_TOKEN });
  const logLevel = process.env.POWERTOOLS_LOG_LEVEL;
  process.env.TELEGRAM_API_BASE_URL = telegram.url;
  // Its logger writes to stdout, which the capture records, and at DEBUG so that debug lines are checked too.
  process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
  try {
    // The module reads TELEGRAM_API_BASE_URL and creates its clients when it loads.
    const { handler } = await import('../../functions/telegram-register-webhook/handler');
    const register = (event: CdkCustomResourceEvent) =>
      invoke('telegram-register-webhook', () =>
        handler(event, localLambdaContext('telegram-register-webhook', 60) as Context),
      );
    const outcomes = observations.registrationOutcomes;

    outcomes.push(outcomeOf(await register(customResourceEvent('Create', TELEGRAM_SECRET_ARN))));
    telegram.failNext('setWebhook', SERVER_ERROR, 3);
    outcomes.push(outcomeOf(await register(customResourceEvent('Update', TELEGRAM_SECRET_ARN))));
    telegram.failNext('setWebhook', UNAUTHORIZED);
    outcomes.push(outcomeOf(await register(customResourceEvent('Update', TELEGRAM_SECRET_ARN))));
    outcomes.push(outcomeOf(await register(customResourceEvent('Create', MISSING_SECRET_ARN))));
    outcomes.push(outcomeOf(await register(customResourceEvent('Delete', TELEGRAM_SECRET_ARN))));
  } finally {
    delete process.env.TELEGRAM_API_BASE_URL;
    if (logLevel === undefined) {
      delete process.env.POWERTOOLS_LOG_LEVEL;
    } else {
      process.env.POWERTOOLS_LOG_LEVEL = logLevel;
    }
    await telegram.stop();
  }
}

describe('log leak', () => {
  beforeAll(async () => {
    capture.captureBatchFailures();
    capture.captureProcessOutput();
    const secretsManager = await startFakeSecretsManager();
    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = secretsManager.url;
    secretsManager.putSecret(
      TELEGRAM_SECRET_ARN,
      JSON.stringify({ botToken: PLANTED_BOT_TOKEN, webhookSecret: PLANTED_WEBHOOK_SECRET }),
    );
    secretsManager.putSecret(FX_SECRET_ARN, JSON.stringify({ apiKey: PLANTED_FX_API_KEY }));
    const whatsappSecret = {
      accessToken: PLANTED_WHATSAPP_ACCESS_TOKEN,
      appSecret: PLANTED_WHATSAPP_APP_SECRET,
      verifyToken: PLANTED_WHATSAPP_VERIFY_TOKEN,
      phoneNumberIds: [LEAK_WHATSAPP_PHONE_NUMBER_ID],
    };
    secretsManager.putSecret(WHATSAPP_SECRET_ARN, JSON.stringify(whatsappSecret));
    const telegram = await startFakeTelegram({ token: PLANTED_BOT_TOKEN });
    // Replies go out free-form unless a 131047 is queued, so the window check of the fake stays off.
    const whatsapp = await startFakeWhatsApp({
      accessToken: PLANTED_WHATSAPP_ACCESS_TOKEN,
      phoneNumberIds: whatsappSecret.phoneNumberIds,
      enforceWindow: false,
    });
    const sqs = createLocalSqsClient();
    const prefix = `leak-${randomBytes(4).toString('hex')}`;
    let stack: LocalStack | undefined;
    const ai = await startLeakAi(prefix);
    try {
      stack = await startLocalStack({
        botToken: PLANTED_BOT_TOKEN,
        telegramApiBaseUrl: telegram.url,
        webhookSecret: PLANTED_WEBHOOK_SECRET,
        // The functions read the credentials from WHATSAPP_SECRET_ARN below, which takes precedence over the
        // WHATSAPP_* variables that this option sets.
        whatsapp: {
          ...whatsappSecret,
          graphApiBaseUrl: whatsapp.url,
          webhookLogger: capture.logger(WHATSAPP_WEBHOOK_SOURCE),
          webhookTracer: capture.tracer(WHATSAPP_WEBHOOK_SOURCE),
        },
        prefix,
        visibilityTimeoutSeconds: 1,
        maxReceiveCount: 3,
        webhookLogger: capture.logger('telegram-webhook'),
        processorLogger: capture.logger('message-processor'),
        webhookTracer: capture.tracer('telegram-webhook'),
        processorTracer: capture.tracer('message-processor'),
        writeMetricLine: (line) => capture.addEmfLine(line),
        // Secrets come from Secrets Manager, as on AWS. The stack's own fake FX providers expect another key,
        // so its first refresh meets ExchangeRate-API's invalid-key error.
        environment: {
          TELEGRAM_SECRET_ARN,
          FX_SECRET_ARN,
          SLACK_SECRET_ARN,
          WHATSAPP_SECRET_ARN,
          ...ai.environment,
        },
        fxRefresh: {
          logger: capture.logger('fx-refresh'),
          tracer: capture.tracer('fx-refresh'),
          onRefresh: (outcome) => {
            if ('error' in outcome) {
              capture.addError('fx-refresh', outcome.error);
            } else {
              capture.add('fx-refresh', 'handler result', JSON.stringify(outcome.result));
            }
          },
        },
        notifications: {
          logger: capture.logger('notification-sender'),
          tracer: capture.tracer('notification-sender'),
        },
        onPollerError: (error) => capture.addError(UNATTRIBUTED, error),
      });
      const slackUrl = stack.notifications!.slack.createWebhook('operations');
      secretsManager.putSecret(SLACK_SECRET_ARN, JSON.stringify({ operations: slackUrl }));
      planted.push(
        { label: 'Slack webhook URL', value: slackUrl },
        { label: 'Slack webhook path token', value: slackUrl.split('/').at(-1)! },
      );

      const countsBefore = countItems(capture.items());
      observations.whatsapp = await driveWhatsApp({ stack, fake: whatsapp, capture, sqs });
      observations.whatsappCounts = subtractCounts(countItems(capture.items()), countsBefore);
      await driveChat(stack, telegram);
      const chatStack = stack;
      observations.ai = await driveAi({
        stack,
        telegram,
        ai,
        user: AI_USER,
        deliver: (label, update) => deliver(chatStack, telegram, label, update),
      });
      await driveSettings(stack, telegram);
      await driveWeeklySummary(stack, sqs);
      await driveAlarms(stack, sqs);
      await driveBadNotifications(stack, sqs);
      await driveSesFeedback(stack, prefix);
      await driveFxRefresh();
      await driveWebhookRegistration();
      observations.secretReads = Object.fromEntries(secretsManager.reads);
    } finally {
      await stack?.stop();
      await ai.stop();
      await telegram.stop();
      await whatsapp.close();
      await secretsManager.stop();
      sqs.destroy();
      delete process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
      capture.restore();
    }
  }, 300_000);

  afterAll(() => {
    console.log(
      `Log-leak test: captured items checked per function\n${formatCounts(capture.items(), CHECKED_SOURCES, PRINTED_KINDS)}`,
    );
    console.log(
      `Log-leak test: of which captured while driving WhatsApp\n${formatCounts(observations.whatsappCounts, [WHATSAPP_WEBHOOK_SOURCE, 'message-processor'], PRINTED_KINDS)}`,
    );
  });

  describe('drive', () => {
    it('rejects bad webhook requests', () => {
      expect(observations.webhookStatuses).toMatchObject({
        'wrong secret': 401,
        'no secret': 401,
        'invalid JSON': 400,
        'invalid shape': 400,
        expense: 200,
      });
    });

    it('meets Bot API 5xx and 403', () => {
      expect(observations.botApiServerErrors).toBeGreaterThanOrEqual(3);
      expect(observations.botApiForbidden).toBeGreaterThanOrEqual(1);
    });

    it('mails the confirmation code', () => {
      expect(observations.confirmationCodeFound).toBe(true);
    });

    it('meets SES MessageRejected and sends the SMS', () => {
      expect(observations.sesRejections).toBeGreaterThanOrEqual(1);
      expect(observations.smsSent).toBeGreaterThanOrEqual(1);
      expect(observations.weeklySummaryOutcomes).toEqual(['WeeklySummaryIncompleteError', 'ok']);
    });

    it('meets Slack 429 and 4xx', () => {
      expect(observations.slackStatuses).toEqual(expect.arrayContaining([429, 404, 403, 200]));
    });

    it('meets FX quota and invalid-key errors', () => {
      expect(observations.fxErrorTypes).toEqual(
        expect.arrayContaining(['quota-reached', 'invalid-key', 'http-503']),
      );
      expect(observations.fxFailures).toBe(1);
    });

    it('registers, fails and deletes the webhook', () => {
      expect(observations.registrationOutcomes).toEqual([
        'ok',
        'TelegramServerError',
        'TelegramUnauthorizedError',
        'GetParameterError',
        'ok',
      ]);
    });

    it('forwards, skips and rejects alarms', () => {
      expect(observations.alarmOutcomes).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'AlarmForwardingError']);
    });

    it.each([TELEGRAM_SECRET_ARN, FX_SECRET_ARN, SLACK_SECRET_ARN, MISSING_SECRET_ARN, WHATSAPP_SECRET_ARN])(
      'reads secret %s from Secrets Manager',
      (secretArn) => {
        expect(observations.secretReads[secretArn] ?? 0).toBeGreaterThan(0);
      },
    );

    it('handshakes and rejects bad WhatsApp requests', () => {
      expect(observations.whatsapp?.webhookStatuses).toMatchObject({
        handshake: 200,
        'wrong verify token': 403,
        'wrong signature': 401,
        'invalid JSON': 400,
        'missing queue': 500,
      });
      expect(observations.whatsapp?.challengeEchoed).toBe(true);
    });

    it('replies on WhatsApp through Graph API errors', () => {
      expect(observations.whatsapp?.replies).toEqual({
        reply: { sent: ['interactive'], failedDeliveries: 0 },
        'rate limit 130429': { sent: ['interactive'], failedDeliveries: 0 },
        'undeliverable 131026': { sent: [], failedDeliveries: 0 },
        'window closed 131047': { sent: ['template'], failedDeliveries: 0 },
        'access token 190': { sent: ['interactive'], failedDeliveries: 1 },
        'HTML 500': { sent: ['interactive'], failedDeliveries: 1 },
      });
    });

    it('records WhatsApp delivered and failed statuses', () => {
      expect(observations.whatsapp?.webhookStatuses).toMatchObject({
        'delivered status': 200,
        'failed status': 200,
      });
      expect(observations.whatsapp?.deliveryStates).toEqual({ delivered: 'delivered', failed: 'failed' });
    });

    it('reads text, voice and receipts with the AI fakes', () => {
      expect(observations.ai?.chatStatuses).toEqual(expect.arrayContaining([200, 429]));
      expect(observations.ai?.transcriptionStatuses).toEqual([200]);
      expect(observations.ai?.visionStatuses).toEqual(expect.arrayContaining([200, 503]));
    });

    it('handles SES feedback', () => {
      expect(observations.feedbackOutcomes).toEqual(['ok']);
      expect(observations.feedbackMalformed).toBe(2);
    });
  });

  describe('capture', () => {
    it.each(FUNCTIONS)('has log lines of %s', (source) => {
      expect(countItems(capture.items()).get(source)?.get('log line') ?? 0).toBeGreaterThan(0);
    });

    it.each(TRACED_FUNCTIONS)('has trace subsegments of %s', (source) => {
      expect(countItems(capture.items()).get(source)?.get('trace subsegment') ?? 0).toBeGreaterThan(0);
    });

    it.each(FUNCTIONS_WITH_ERRORS)('has errors of %s', (source) => {
      expect(countItems(capture.items()).get(source)?.get('error') ?? 0).toBeGreaterThan(0);
    });

    it('attributes every item to a checked source', () => {
      const sources = new Set(capture.items().map((item) => item.source));

      expect([...sources].filter((source) => !CHECKED_SOURCES.includes(source))).toEqual([]);
    });
  });

  describe('planted values', () => {
    it.each(CHECKED_SOURCES)('do not reach output of %s', (source) => {
      const items = capture.items().filter((item) => item.source === source);

      expect(describeLeaks(findLeaks(items, planted))).toBe('');
    });
  });
});
