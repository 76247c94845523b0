import { ArnFormat, Duration, type RemovalPolicy, SecretValue, Stack, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { Policy, PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  NOTIFICATION_QUEUE,
  NOTIFICATION_SENDER_BATCH_SIZE,
  NOTIFICATION_SENDER_TIMEOUT_SECONDS,
  SERVICE_NAMES,
} from '../definitions';
import { ApplicationFunction, type FunctionDefaults } from './application-function';
import type { EmailSending } from './email-sending';
import { queueNotEmptyAlarm } from './queue-alarm';
import type { FinancyTables } from './tables';

/** Tables that the sender uses, with the variable that carries each name and whether it writes to it. */
const SENDER_TABLES = [
  // The push sender disables a user's push channel when SNS reports the endpoint disabled.
  { tableId: 'users', variable: 'USERS_TABLE', write: true },
  { tableId: 'idempotency', variable: 'IDEMPOTENCY_TABLE', write: true },
  { tableId: 'resilience', variable: 'RESILIENCE_TABLE', write: true },
  // Only ses-feedback writes suppressions; the sender reads them before each e-mail.
  { tableId: 'suppressions', variable: 'SUPPRESSIONS_TABLE', write: false },
] as const;

/** Properties of {@link Notifications}. */
export interface NotificationsProps {
  /** Stack-wide function settings. */
  readonly functionDefaults: FunctionDefaults;
  /** Entry file of the sender function, absolute or relative to the project root. */
  readonly entry: string;
  /** Tables of the stack. */
  readonly tables: FinancyTables;
  /** SES configuration set, feedback topic and sender identity. */
  readonly email: EmailSending;
  /** Prefix of the queue names, so that stages can share an account and region. */
  readonly namePrefix: string;
  /** Removal policy of the Slack secret. */
  readonly secretRemovalPolicy: RemovalPolicy;
  /**
   * Highest number of sender instances that the queue's event source invokes at once, from 2 to 1,000.
   * @default 2
   */
  readonly maxConcurrency?: number;
  /**
   * Sender ID shown on SMS where the destination country supports one (NOTIFY_SMS_SENDER_ID).
   * @default - none
   */
  readonly smsSenderId?: string;
  /**
   * Seconds that the function caches the Slack secret (SECRETS_CACHE_SECONDS).
   * @default 300
   */
  readonly secretsCacheSeconds?: number;
}

/**
 * The notification pipeline: the standard queue that producers send notifications to, its dead-letter queue
 * with an alarm, the Slack secret `SlackWebhooksSecret`, and the notification-sender function that consumes
 * the queue and sends through SES, SNS and Slack.
 *
 * The sender may send e-mail only from the configured identity with the stack's configuration set, publish
 * to the account's SNS platform endpoints and to phone numbers, and read the Slack secret. The Slack secret
 * starts as `{}`, so Slack alerts fail with "Slack webhook is not configured" until a webhook URL is added.
 */
export class Notifications extends Construct {
  /** Standard queue of notifications. */
  readonly queue: Queue;
  /** Queue that receives notifications after `NOTIFICATION_QUEUE.maxReceiveCount` failed deliveries. */
  readonly deadLetterQueue: Queue;
  /** Alarm on one or more visible messages in the dead-letter queue. */
  readonly deadLetterAlarm: Alarm;
  /** Secret with the Slack incoming-webhook URLs by name, such as `{"operations": "https://hooks.slack.com/..."}`. */
  readonly slackSecret: Secret;
  /** The sender function. */
  readonly senderFunction: NodejsFunction;

  constructor(scope: Construct, id: string, props: NotificationsProps) {
    super(scope, id);

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      queueName: `${props.namePrefix}-${NOTIFICATION_QUEUE.deadLetterName}`,
      retentionPeriod: Duration.days(NOTIFICATION_QUEUE.deadLetterRetentionDays),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.queue = new Queue(this, 'Queue', {
      queueName: `${props.namePrefix}-${NOTIFICATION_QUEUE.name}`,
      visibilityTimeout: Duration.seconds(NOTIFICATION_QUEUE.visibilityTimeoutSeconds),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: NOTIFICATION_QUEUE.maxReceiveCount },
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.deadLetterAlarm = queueNotEmptyAlarm(this, 'DeadLetterAlarm', {
      queue: this.deadLetterQueue,
      nameSuffix: 'notification-dead-letter-queue-not-empty',
      description:
        'Notifications failed 5 deliveries and moved to the notification dead-letter queue. Read the ' +
        'notification-sender logs for the cause, fix it, then move the records back. ' +
        'Runbook: docs/operations.md, "Notification dead-letter queue not empty".',
    });

    // The template contains only `{}`. CloudFormation writes the value when it creates the secret and
    // leaves the webhook URLs put in later alone, as long as this placeholder stays the same.
    this.slackSecret = new Secret(this, 'SlackWebhooksSecret', {
      description:
        'Financy: Slack incoming-webhook URLs by name, such as {"operations": "https://hooks.slack.com/..."}',
      secretStringValue: SecretValue.unsafePlainText('{}'),
      removalPolicy: props.secretRemovalPolicy,
    });
    Validations.of(this.slackSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Slack issues incoming-webhook URLs in the Slack app configuration, so a Lambda function cannot rotate them. ' +
        'docs/deploy.md describes replacing a URL by hand; the sender reads a new value within SECRETS_CACHE_SECONDS.',
    });

    const sender = this.createSender(props);
    this.senderFunction = sender.lambdaFunction;
    this.senderFunction.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: NOTIFICATION_SENDER_BATCH_SIZE,
        reportBatchItemFailures: true,
        maxConcurrency: props.maxConcurrency ?? 2,
      }),
    );
    this.grantSenderAccess(sender.role, props);
  }

  private createSender(props: NotificationsProps): ApplicationFunction {
    const environment: Record<string, string> = {
      NOTIFY_EMAIL_FROM: props.email.fromAddress,
      NOTIFY_SES_CONFIGURATION_SET: props.email.configurationSet.configurationSetName,
      SLACK_SECRET_ARN: this.slackSecret.secretArn,
      SECRETS_CACHE_SECONDS: String(props.secretsCacheSeconds ?? 300),
    };
    for (const { tableId, variable } of SENDER_TABLES) {
      environment[variable] = tableOf(props.tables, tableId).tableName;
    }
    if (props.smsSenderId !== undefined) {
      environment.NOTIFY_SMS_SENDER_ID = props.smsSenderId;
    }

    return new ApplicationFunction(this, 'Sender', {
      defaults: props.functionDefaults,
      entry: props.entry,
      serviceName: SERVICE_NAMES.notificationSender,
      description: 'Sends queued notifications by SES e-mail, SNS push and SMS, and Slack',
      memorySize: 256,
      timeout: Duration.seconds(NOTIFICATION_SENDER_TIMEOUT_SECONDS),
      environment,
    });
  }

  private grantSenderAccess(role: Role, props: NotificationsProps): void {
    for (const { tableId, write } of SENDER_TABLES) {
      const table = tableOf(props.tables, tableId);
      if (write) {
        table.grantReadWriteData(role);
      } else {
        table.grantReadData(role);
      }
    }
    this.slackSecret.grantRead(role);
    props.email.grantSendEmail(role);

    // Statements with wildcards are policies of their own, so each acknowledgment covers exactly them.
    const stack = Stack.of(this);
    const endpointArns = stack.formatArn({
      service: 'sns',
      resource: 'endpoint',
      resourceName: '*',
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    const pushPolicy = new Policy(this, 'PushPublishPolicy', {
      statements: [new PolicyStatement({ actions: ['sns:Publish'], resources: [endpointArns] })],
    });
    pushPolicy.attachToRole(role);
    Validations.of(pushPolicy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sns:<AWS::Region>:<AWS::AccountId>:endpoint/*]`,
      reason:
        'Mobile apps register their devices as SNS platform endpoints outside this stack, so the endpoint ARNs ' +
        'are not known here. The wildcard covers the platform endpoints of this account and region, not topics.',
    });

    const smsPolicy = new Policy(this, 'SmsPublishPolicy', {
      statements: [new PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] })],
    });
    smsPolicy.attachToRole(role);
    Validations.of(smsPolicy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'SNS Publish to a phone number (SMS) has no resource ARN, so IAM requires Resource "*", and no condition key ' +
        'narrows it to SMS. It also allows Publish to topics of the account; the topics of this stack are encrypted ' +
        'with keys that this role may not use, so a publish to them fails. The account SMS spending limit caps the cost.',
    });

    const suppressionPolicy = new Policy(this, 'SuppressionListPolicy', {
      statements: [new PolicyStatement({ actions: ['ses:GetSuppressedDestination'], resources: ['*'] })],
    });
    suppressionPolicy.attachToRole(role);
    Validations.of(suppressionPolicy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'ses:GetSuppressedDestination reads the account-level SES suppression list, which has no resource ARN, so IAM ' +
        'requires Resource "*". This policy contains nothing else, and the action only reads.',
    });
  }
}

function tableOf(tables: FinancyTables, tableId: (typeof SENDER_TABLES)[number]['tableId']) {
  const table = tables.tables.get(tableId);
  if (table === undefined) {
    throw new Error(
      `The notification sender needs the ${tableId} table, but FinancyTables did not create it.`,
    );
  }

  return table;
}
