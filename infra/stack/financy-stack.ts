import { CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type { AlarmBase } from 'aws-cdk-lib/aws-cloudwatch';
import type { Key } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { BOT_TOKEN_PLACEHOLDER } from '../../lib/channels/telegram/register-webhook';
import { FUNCTION_ENTRIES, PROCESSOR_TIMEOUT_SECONDS } from '../definitions';
import { createAlarmTopic, notifyOnStateChange } from './alarm-topic';
import type { FunctionDefaults, LogLevel } from './application-function';
import { OperationsAlarms } from './operations-alarms';
import { OperationsDashboard } from './operations-dashboard';
import { MessageProcessor } from './processor';
import { type Stage, settingsForStage } from './stage';
import { FinancyTables } from './tables';
import { TelegramIngest } from './telegram-ingest';
import { TelegramWebhookRegistration } from './webhook-registration';

/** Entry files of the stack's functions, by function. */
export type FunctionEntries = Record<keyof typeof FUNCTION_ENTRIES, string>;

/** Properties of {@link FinancyStack}. */
export interface FinancyStackProps extends StackProps {
  /** Stage that picks removal policies, deletion protection and log retention. */
  readonly stage: Stage;
  /**
   * Absolute path of the repository root, against which function entries are resolved. The CDK
   * app passes the folder above infra/, so synth works from any working directory.
   * @default process.cwd(), which is the repository root when the cdk CLI runs the app
   */
  readonly projectRoot?: string;
  /**
   * Entry files that replace the ones in FUNCTION_ENTRIES, absolute or relative to `projectRoot`.
   * NodejsFunction rejects an entry outside `projectRoot`, so stand-in files belong inside it.
   * @default FUNCTION_ENTRIES from infra/definitions
   */
  readonly entries?: Partial<FunctionEntries>;
  /**
   * Powertools log level of every function.
   * @default 'INFO'
   */
  readonly logLevel?: LogLevel;
  /**
   * Share of invocations, from 0 to 1, that log at DEBUG level (POWERTOOLS_LOGGER_SAMPLE_RATE). The app
   * reads it from `-c debugSampleRate=0.1`.
   * @default the stage's setting: 0.1 in dev, 0 in prod
   */
  readonly debugSampleRate?: number;
  /**
   * Reserved concurrency of the webhook function, or `null` for none. Lambda rejects a reservation that
   * would leave less than 100 unreserved concurrent executions in the account, so an account whose
   * concurrency quota is low needs a lower value or `null`. The app reads it from
   * `-c webhookReservedConcurrency=<n|none>`.
   * @default the stage's setting: 5 in dev, 40 in prod
   */
  readonly webhookReservedConcurrency?: number | null;
  /**
   * Most processor instances that the inbound queue's event source runs at once, from 2 to 1,000. The app
   * reads it from `-c processorMaxConcurrency=<n>`.
   * @default the stage's setting: 2 in dev, 10 in prod
   */
  readonly processorMaxConcurrency?: number;
  /**
   * Value that forces the webhook to be registered again, usually the VersionId of the secret
   * after the bot token was set. The app reads it from `-c telegramSecretVersion=...`.
   * @default 'initial'
   */
  readonly telegramSecretVersion?: string;
  /**
   * E-mail address subscribed to the alarm topic. AWS sends a confirmation mail first.
   * @default - no subscription
   */
  readonly alarmEmail?: string;
  /**
   * ISO 4217 currency of new users (DEFAULT_CURRENCY).
   * @default - the processor's own default, USD
   */
  readonly defaultCurrency?: string;
  /**
   * IANA time zone of new users (DEFAULT_TIME_ZONE).
   * @default - the processor's own default, UTC
   */
  readonly defaultTimeZone?: string;
}

/**
 * The Financy chat integration for one stage: the Telegram webhook API and function, the inbound
 * FIFO queue with its dead-letter queue, the message processor, the DynamoDB tables, the bot secret,
 * the deploy-time webhook registration, and the operational alarms and dashboard.
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
  /** Queue consumer that handles updates and replies. */
  readonly processor: MessageProcessor;
  /** Deploy-time setWebhook call. */
  readonly webhookRegistration: TelegramWebhookRegistration;
  /** Alarms on the queues, the processor, the webhook and the circuit breakers. */
  readonly operationsAlarms: OperationsAlarms;
  /** CloudWatch dashboard `<stack name>-operations`. */
  readonly operationsDashboard: OperationsDashboard;

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
    const webhookReservedConcurrency =
      props.webhookReservedConcurrency === undefined
        ? settings.webhookReservedConcurrency
        : (props.webhookReservedConcurrency ?? undefined);

    this.tables = new FinancyTables(this, 'Tables', {
      removalPolicy: settings.removalPolicy,
      deletionProtection: settings.deletionProtection,
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

    this.ingest = new TelegramIngest(this, 'TelegramIngest', {
      functionDefaults,
      entry: entries.telegramWebhook,
      secret: this.telegramSecret,
      alarmTopic: this.alarmTopic,
      namePrefix: `financy-${props.stage}`,
      reservedConcurrency: webhookReservedConcurrency,
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

    new CfnOutput(this, 'WebhookUrl', {
      value: this.ingest.webhookUrl,
      description: 'URL registered with Telegram setWebhook',
    });
    new CfnOutput(this, 'TelegramBotSecretArn', {
      value: this.telegramSecret.secretArn,
      description: 'Secret to put the bot token in (keep the generated webhookSecret)',
    });
    new CfnOutput(this, 'WebhookRegistration', {
      value: this.webhookRegistration.message,
      description: 'Result of the last webhook registration',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarmTopic.topicArn,
      description: 'Topic that every alarm notifies; subscribe the on-call e-mail or the Slack notifier here',
    });
    new CfnOutput(this, 'OperationsDashboardName', {
      value: this.operationsDashboard.dashboard.dashboardName,
      description: 'CloudWatch dashboard of the chat pipeline',
    });
    new CfnOutput(this, 'InboundQueueUrl', { value: this.ingest.queue.queueUrl });
    new CfnOutput(this, 'InboundDeadLetterQueueUrl', { value: this.ingest.deadLetterQueue.queueUrl });
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
