import { Duration } from 'aws-cdk-lib';
import {
  HttpApi,
  HttpMethod,
  HttpStage,
  PayloadFormatVersion,
  type ThrottleSettings,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { INBOUND_QUEUE } from '../definitions';
import { ApplicationFunction, type FunctionDefaults } from './application-function';

/** Path of the Telegram webhook route on the HTTP API. */
export const TELEGRAM_WEBHOOK_PATH = '/webhooks/telegram';

/** Properties of {@link TelegramIngest}. */
export interface TelegramIngestProps {
  /** Stack-wide function settings. */
  readonly functionDefaults: FunctionDefaults;
  /** Entry file of the webhook function, absolute or relative to the project root. */
  readonly entry: string;
  /** Secret with `botToken` and `webhookSecret`. The function gets read access to it. */
  readonly secret: ISecret;
  /** Topic that the dead-letter alarm notifies. */
  readonly alarmTopic: ITopic;
  /**
   * Prefix of the queue names, so several stages can share an account and region.
   * @default 'financy'
   */
  readonly namePrefix?: string;
  /**
   * Whether the function accepts only Telegram's published webhook source ranges (TELEGRAM_IP_CHECK).
   * @default true
   */
  readonly checkSourceIp?: boolean;
  /**
   * Largest accepted request body in bytes (WEBHOOK_MAX_BODY_BYTES).
   * @default - unset, so the function's own default of 1 MiB applies
   */
  readonly maxBodyBytes?: number;
  /**
   * Seconds that the function caches the secret (SECRETS_CACHE_SECONDS).
   * @default 300
   */
  readonly secretsCacheSeconds?: number;
  /**
   * Request rate limits of the API's default stage, which stop a flood of requests before it reaches
   * Lambda. The defaults are an estimate of a personal-finance bot's needs, not a measurement. A
   * throttled request gets 429, and Telegram delivers the update again later.
   * @default { rateLimit: 100, burstLimit: 200 }
   */
  readonly throttle?: ThrottleSettings;
}

/**
 * The inbound edge of the Telegram channel. It contains the HTTP API route `POST /webhooks/telegram`,
 * the webhook function behind it and the FIFO queue that the function writes to. The queue's FIFO
 * dead-letter queue has an alarm that fires as soon as one message arrives there.
 *
 * The webhook function may only send to the queue and read the secret.
 */
export class TelegramIngest extends Construct {
  /** HTTP API with the channel webhook routes. */
  readonly api: HttpApi;
  /** Public URL to register with Telegram's setWebhook. */
  readonly webhookUrl: string;
  /** FIFO queue of inbound updates, grouped by chat. */
  readonly queue: Queue;
  /** FIFO queue that receives updates after `INBOUND_QUEUE.maxReceiveCount` failed deliveries. */
  readonly deadLetterQueue: Queue;
  /** Alarm on one or more visible messages in the dead-letter queue. */
  readonly deadLetterAlarm: Alarm;
  /** Function behind `POST /webhooks/telegram`. */
  readonly webhookFunction: NodejsFunction;

  constructor(scope: Construct, id: string, props: TelegramIngestProps) {
    super(scope, id);
    const namePrefix = props.namePrefix ?? 'financy';

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      queueName: `${namePrefix}-${INBOUND_QUEUE.deadLetterName}`,
      fifo: true,
      contentBasedDeduplication: false,
      retentionPeriod: Duration.days(INBOUND_QUEUE.deadLetterRetentionDays),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });

    this.queue = new Queue(this, 'InboundQueue', {
      queueName: `${namePrefix}-${INBOUND_QUEUE.name}`,
      fifo: true,
      // The webhook sets MessageDeduplicationId to the update id, so Telegram's redeliveries of
      // the same update are dropped even when their bodies differ.
      contentBasedDeduplication: false,
      visibilityTimeout: Duration.seconds(INBOUND_QUEUE.visibilityTimeoutSeconds),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: INBOUND_QUEUE.maxReceiveCount },
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });

    this.deadLetterAlarm = new Alarm(this, 'DeadLetterAlarm', {
      alarmDescription:
        'Inbound Telegram updates failed processing and moved to the dead-letter queue. Read the processor ' +
        'logs for the cause, fix it, then redrive the messages from the SQS console.',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.deadLetterAlarm.addAlarmAction(new SnsAction(props.alarmTopic));
    this.deadLetterAlarm.addOkAction(new SnsAction(props.alarmTopic));

    const environment: Record<string, string> = {
      INBOUND_QUEUE_URL: this.queue.queueUrl,
      TELEGRAM_SECRET_ARN: props.secret.secretArn,
      TELEGRAM_IP_CHECK: String(props.checkSourceIp ?? true),
      SECRETS_CACHE_SECONDS: String(props.secretsCacheSeconds ?? 300),
    };
    if (props.maxBodyBytes !== undefined) {
      environment.WEBHOOK_MAX_BODY_BYTES = String(props.maxBodyBytes);
    }

    // Telegram waits for the HTTP response, so the function only verifies the request and enqueues the update.
    const webhook = new ApplicationFunction(this, 'Webhook', {
      defaults: props.functionDefaults,
      entry: props.entry,
      serviceName: 'telegram-webhook',
      description: 'Verifies Telegram webhook requests and enqueues the updates',
      memorySize: 256,
      timeout: Duration.seconds(5),
      environment,
    });
    this.webhookFunction = webhook.lambdaFunction;
    this.queue.grantSendMessages(this.webhookFunction);
    props.secret.grantRead(this.webhookFunction);

    this.api = new HttpApi(this, 'HttpApi', {
      description: 'Webhook endpoints of the Financy chat channels',
      createDefaultStage: false,
    });
    new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? { rateLimit: 100, burstLimit: 200 },
    });
    this.api.addRoutes({
      path: TELEGRAM_WEBHOOK_PATH,
      methods: [HttpMethod.POST],
      integration: new HttpLambdaIntegration('TelegramWebhookIntegration', this.webhookFunction, {
        payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
      }),
    });

    this.webhookUrl = `${this.api.apiEndpoint}${TELEGRAM_WEBHOOK_PATH}`;
  }
}
