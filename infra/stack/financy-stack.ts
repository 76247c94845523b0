import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { AlarmBase } from 'aws-cdk-lib/aws-cloudwatch';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Key } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { BOT_TOKEN_PLACEHOLDER } from '../../lib/channels/telegram/register-webhook';
import { TABLES, type TableId, WHATSAPP_STATE_TABLE } from '../../lib/store/tables';
import { FUNCTION_ENTRIES, MONITORED_DEPENDENCIES, PROCESSOR_TIMEOUT_SECONDS } from '../definitions';
import { AiCostMonitoring } from './ai-cost-monitoring';
import { DEFAULT_AI_OPTIONS } from './ai-options';
import { AiServices } from './ai-services';
import { AlarmNotifier } from './alarm-notifier';
import { createAlarmTopic, notifyOnStateChange } from './alarm-topic';
import type { FunctionDefaults } from './application-function';
import { EmailSending } from './email-sending';
import { FailedInvocations } from './failed-invocations';
import type { FinancyStackProps, FunctionEntries } from './financy-stack-props';
import { FxMonitoring } from './fx-monitoring';
import { FxRefresh } from './fx-refresh';
import { NotificationMonitoring } from './notification-monitoring';
import { Notifications } from './notifications';
import { OperationsAlarms } from './operations-alarms';
import { OperationsDashboard } from './operations-dashboard';
import { MessageProcessor } from './processor';
import { SesFeedback } from './ses-feedback';
import { addStackOutputs } from './stack-outputs';
import { settingsForStage } from './stage';
import { FinancyTables } from './tables';
import { TelegramIngest } from './telegram-ingest';
import { TelegramWebhookRegistration } from './webhook-registration';
import { WeeklySummary } from './weekly-summary';
import { WhatsAppIngest } from './whatsapp-ingest';
import { WhatsAppMonitoring } from './whatsapp-monitoring';
import { resolveWhatsAppOptions } from './whatsapp-options';

export type { FinancyStackProps, FunctionEntries } from './financy-stack-props';

/**
 * The Financy chat integration for one stage. It contains the webhook API with the Telegram and WhatsApp
 * webhook functions, the inbound FIFO queue with its dead-letter queue, the message processor, the DynamoDB
 * tables, the bot and WhatsApp secrets and the deploy-time Telegram webhook registration. Around them are
 * the hourly FX refresh, the notification queue with its sender, SES sending and feedback, the weekly
 * summary, the Slack alarm notifier, the operational alarms and dashboard, and the AI cost dashboard and
 * alarm.
 */
export class FinancyStack extends Stack {
  /** Secret with `botToken` and `webhookSecret`. */
  readonly telegramSecret: Secret;
  /** Topic that alarms notify, on entering ALARM and on returning to OK. */
  readonly alarmTopic: Topic;
  /** Customer managed key that encrypts the alarm topic. */
  readonly alarmTopicKey: Key;
  /** DynamoDB tables. */
  readonly tables: FinancyTables;
  /** Webhook API, webhook function and inbound queues. */
  readonly ingest: TelegramIngest;
  /** WhatsApp routes, webhook function and secret, or `undefined` when the stack has no WhatsApp channel. */
  readonly whatsApp?: WhatsAppIngest;
  /** Queue consumer that handles updates and replies. */
  readonly processor: MessageProcessor;
  /** Deploy-time setWebhook call. */
  readonly webhookRegistration: TelegramWebhookRegistration;
  /** Alarms on the queues, the processor, the webhook and the circuit breakers. */
  readonly operationsAlarms: OperationsAlarms;
  /** CloudWatch dashboard `<stack name>-operations`. */
  readonly operationsDashboard: OperationsDashboard;
  /** Queue of the scheduled runs and SNS events that failed for good. */
  readonly failedInvocations: FailedInvocations;
  /** Hourly FX refresh and its API key secret. */
  readonly fxRefresh: FxRefresh;
  /** SES configuration set, feedback topic and sender identity. */
  readonly emailSending: EmailSending;
  /** Notification queue, its dead-letter queue, the Slack secret and the sender. */
  readonly notifications: Notifications;
  /** Subscriber of the SES feedback topic. */
  readonly sesFeedback: SesFeedback;
  /** Weekly summary run. */
  readonly weeklySummary: WeeklySummary;
  /** Subscriber of the alarm topic that queues Slack alerts. */
  readonly alarmNotifier: AlarmNotifier;
  /** CloudWatch dashboard `<stack name>-ai-cost` and the AI daily spend alarm. */
  readonly aiCostMonitoring: AiCostMonitoring;
  /** OpenAI and Vision key secrets, receipt and transcription buckets, and the processor's access to them. */
  readonly aiServices: AiServices;

  constructor(scope: Construct, id: string, props: FinancyStackProps) {
    super(scope, id, props);
    const settings = settingsForStage(props.stage);
    const entries: FunctionEntries = { ...FUNCTION_ENTRIES, ...props.entries };
    const functionDefaults: FunctionDefaults = {
      projectRoot: props.projectRoot ?? process.cwd(),
      logLevel: props.logLevel ?? 'INFO',
      logRetention: settings.logRetention,
      logRemovalPolicy: settings.removalPolicy,
      debugSampleRate: props.debugSampleRate ?? settings.debugSampleRate,
    };
    const namePrefix = `financy-${props.stage}`;
    const webhookReservedConcurrency =
      props.webhookReservedConcurrency === undefined
        ? settings.webhookReservedConcurrency
        : (props.webhookReservedConcurrency ?? undefined);

    const whatsappEnabled = props.whatsapp ?? settings.whatsapp;

    this.tables = new FinancyTables(this, 'Tables', {
      removalPolicy: settings.removalPolicy,
      deletionProtection: settings.deletionProtection,
      definitions: whatsappEnabled ? TABLES : TABLES.filter(({ id }) => id !== WHATSAPP_STATE_TABLE.id),
    });

    // The template contains only the placeholder token. The webhook secret is generated by Secrets
    // Manager and never appears in the template, and letters and digits suit Telegram's secret_token.
    this.telegramSecret = new Secret(this, 'TelegramBotSecret', {
      description: `Financy ${props.stage}: Telegram bot token from @BotFather and the webhook secret token`,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ botToken: BOT_TOKEN_PLACEHOLDER }),
        generateStringKey: 'webhookSecret',
        excludePunctuation: true,
        includeSpace: false,
        passwordLength: 64,
      },
      removalPolicy: settings.removalPolicy,
    });

    Validations.of(this.telegramSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The bot token cannot be rotated by a Lambda function: only @BotFather issues a new one, by a chat ' +
        'command. docs/deploy.md describes rotating both the token and the webhook secret by hand, followed ' +
        'by a deploy that registers the webhook again.',
    });

    const alarmTopic = createAlarmTopic(this, {
      displayName: `Financy ${props.stage} alarms`,
      email: props.alarmEmail,
    });
    this.alarmTopic = alarmTopic.topic;
    this.alarmTopicKey = alarmTopic.key;

    this.failedInvocations = new FailedInvocations(this, 'FailedInvocations', {
      queueName: `${namePrefix}-failed-invocations`,
    });

    this.ingest = new TelegramIngest(this, 'TelegramIngest', {
      functionDefaults,
      entry: entries.telegramWebhook,
      secret: this.telegramSecret,
      alarmTopic: this.alarmTopic,
      namePrefix,
      reservedConcurrency: webhookReservedConcurrency,
    });
    if (whatsappEnabled) {
      this.whatsApp = new WhatsAppIngest(this, 'WhatsAppIngest', {
        functionDefaults,
        entry: entries.whatsappWebhook,
        api: this.ingest.api,
        apiStage: this.ingest.stage,
        queue: this.ingest.queue,
        secretRemovalPolicy: settings.removalPolicy,
        reservedConcurrency: webhookReservedConcurrency,
      });
    }

    this.emailSending = new EmailSending(this, 'EmailSending', {
      namePrefix,
      sender: props.emailSender,
      identityMode: props.emailIdentityMode,
    });
    this.notifications = new Notifications(this, 'Notifications', {
      functionDefaults,
      entry: entries.notificationSender,
      tables: this.tables,
      email: this.emailSending,
      namePrefix,
      secretRemovalPolicy: settings.removalPolicy,
      maxConcurrency: props.notificationSenderMaxConcurrency ?? settings.notificationSenderMaxConcurrency,
      smsSenderId: props.smsSenderId,
    });
    this.sesFeedback = new SesFeedback(this, 'SesFeedback', {
      functionDefaults,
      entry: entries.sesFeedback,
      feedbackTopic: this.emailSending.feedbackTopic,
      tables: this.tables,
      failures: this.failedInvocations,
    });

    this.fxRefresh = new FxRefresh(this, 'FxRefresh', {
      functionDefaults,
      entry: entries.fxRefresh,
      tables: this.tables,
      failures: this.failedInvocations,
      secretRemovalPolicy: settings.removalPolicy,
      baseCurrency: props.fxBaseCurrency,
      currencies: props.fxCurrencies,
    });

    this.processor = new MessageProcessor(this, 'MessageProcessor', {
      functionDefaults,
      entry: entries.messageProcessor,
      queue: this.ingest.queue,
      tables: this.tables,
      secret: this.telegramSecret,
      defaultCurrency: props.defaultCurrency,
      defaultTimeZone: props.defaultTimeZone,
      maxConcurrency: props.processorMaxConcurrency ?? settings.processorMaxConcurrency,
      fxRates: { table: this.tableOf('fxRates'), baseCurrency: this.fxRefresh.baseCurrency },
      notificationQueue: this.notifications.queue,
      whatsApp: this.whatsApp && {
        secret: this.whatsApp.secret,
        stateTable: this.tableOf('whatsappState'),
        options: resolveWhatsAppOptions(props.whatsappOptions),
      },
    });

    const aiOptions = props.aiOptions ?? {};
    this.aiServices = new AiServices(this, 'AiServices', {
      processorFunction: this.processor.processorFunction,
      removalPolicy: settings.removalPolicy,
      ai: aiOptions.ai ?? settings.ai,
      vision: aiOptions.vision ?? settings.vision,
      aiInsights: aiOptions.aiInsights ?? false,
      transcriber: aiOptions.transcriber ?? DEFAULT_AI_OPTIONS.transcriber,
      aiDailyBudgetUsd: aiOptions.aiDailyBudgetUsd ?? DEFAULT_AI_OPTIONS.aiDailyBudgetUsd,
      openaiModel: aiOptions.openaiModel ?? DEFAULT_AI_OPTIONS.openaiModel,
    });

    this.weeklySummary = new WeeklySummary(this, 'WeeklySummary', {
      functionDefaults,
      entry: entries.weeklySummary,
      tables: this.tables,
      notificationQueue: this.notifications.queue,
      failures: this.failedInvocations,
      settingsUrl: props.weeklySummarySettingsUrl,
    });

    this.alarmNotifier = new AlarmNotifier(this, 'AlarmNotifier', {
      functionDefaults,
      entry: entries.alarmNotifier,
      alarmTopic: this.alarmTopic,
      notificationQueue: this.notifications.queue,
      failures: this.failedInvocations,
      stage: props.stage,
      fxRefreshFunctions: [this.fxRefresh.refreshFunction],
    });

    this.webhookRegistration = new TelegramWebhookRegistration(this, 'TelegramWebhookRegistration', {
      functionDefaults,
      entry: entries.telegramRegisterWebhook,
      secret: this.telegramSecret,
      webhookUrl: this.ingest.webhookUrl,
      secretVersion: props.telegramSecretVersion,
    });
    // Telegram may deliver updates as soon as setWebhook succeeds, so the route, the webhook
    // function and the queue must exist first.
    this.webhookRegistration.node.addDependency(this.ingest);

    this.operationsAlarms = new OperationsAlarms(this, 'OperationsAlarms', {
      alarmTopic: this.alarmTopic,
      api: this.ingest.api,
      inboundQueue: this.ingest.queue,
      processorFunction: this.processor.processorFunction,
      dependencies: MONITORED_DEPENDENCIES.filter(
        ({ requires }) => requires !== 'whatsapp' || whatsappEnabled,
      ),
    });
    this.operationsDashboard = new OperationsDashboard(this, 'OperationsDashboard', {
      api: this.ingest.api,
      webhookFunction: this.ingest.webhookFunction,
      processorFunction: this.processor.processorFunction,
      inboundQueue: this.ingest.queue,
      deadLetterQueue: this.ingest.deadLetterQueue,
      alarms: [this.ingest.deadLetterAlarm, ...this.operationsAlarms.all],
      processorTimeout: Duration.seconds(PROCESSOR_TIMEOUT_SECONDS),
    });
    this.addFeatureOperations();
    this.aiCostMonitoring = new AiCostMonitoring(this, 'AiCostMonitoring', {
      dailySpendAlarmUsd: props.aiDailySpendAlarmUsd,
    });
    this.addOperationalAlarm(this.aiCostMonitoring.dailySpend);

    addStackOutputs(this);
  }

  /**
   * Adds the alarms and dashboard rows of the FX refresh, the notifications and the WhatsApp webhook, and the
   * alarms of the failed-invocations and notification dead-letter queues.
   */
  private addFeatureOperations(): void {
    const fxMonitoring = new FxMonitoring(this, 'FxMonitoring', {
      refreshFunction: this.fxRefresh.refreshFunction,
    });
    const notificationMonitoring = new NotificationMonitoring(this, 'NotificationMonitoring', {
      senderFunction: this.notifications.senderFunction,
      queue: this.notifications.queue,
      deadLetterQueue: this.notifications.deadLetterQueue,
    });

    for (const alarm of [
      this.failedInvocations.alarm,
      this.notifications.deadLetterAlarm,
      notificationMonitoring.failures,
      ...fxMonitoring.alarms,
    ]) {
      this.addOperationalAlarm(alarm);
    }
    this.operationsDashboard.addSection('FX rates', fxMonitoring.widgets);
    this.operationsDashboard.addSection('Notifications', notificationMonitoring.widgets);

    if (this.whatsApp !== undefined) {
      const whatsAppMonitoring = new WhatsAppMonitoring(this, 'WhatsAppMonitoring', {
        webhookFunction: this.whatsApp.webhookFunction,
      });
      this.addOperationalAlarm(whatsAppMonitoring.webhookServerErrors);
      this.operationsDashboard.addSection('WhatsApp webhook', whatsAppMonitoring.widgets);
    }
  }

  private tableOf(tableId: TableId): TableV2 {
    const table = this.tables.tables.get(tableId);
    if (table === undefined) {
      throw new Error(`The stack needs the ${tableId} table, but FinancyTables did not create it.`);
    }

    return table;
  }

  /**
   * Adds an alarm of a later feature to the operations: it notifies the alarm topic on entering ALARM and
   * on returning to OK, and appears in the dashboard's alarm status widget.
   */
  addOperationalAlarm(alarm: AlarmBase): void {
    notifyOnStateChange(alarm, this.alarmTopic);
    this.operationsDashboard.addAlarms(alarm);
  }
}
