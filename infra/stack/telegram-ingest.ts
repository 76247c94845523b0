import { Duration } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
  type ThrottleSettings,
} from 'aws-cdk-lib/aws-apigatewayv2';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { INBOUND_QUEUE, SERVICE_NAMES } from '../definitions';
import { notifyOnStateChange } from './alarm-topic';
import { addWebhookRoutes, type ChannelWebhookOptions, createWebhookFunction } from './channel-webhook';
import { queueNotEmptyAlarm } from './queue-alarm';

/** Path of the Telegram webhook route on the HTTP API. */
export const TELEGRAM_WEBHOOK_PATH = '/webhooks/telegram';

/**
 * One JSON line per request in the API's access log. HTTP API access logs offer no variable for the request
 * body or for arbitrary headers, and the only header logged here is User-Agent, so neither update contents
 * nor the secret token header can reach the log. `routeKey` is the method and path without the query string,
 * so WhatsApp's verify token, which the subscription handshake sends as a query parameter, stays out too. The source address shows requests from outside Telegram's
 * ranges. `lambdaStatus` is the Lambda service's own status, 429 when the function was throttled, and
 * `integrationStatus` the status that the function returned.
 */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    sourceIp: '$context.identity.sourceIp',
    userAgent: '$context.identity.userAgent',
    routeKey: '$context.routeKey',
    status: '$context.status',
    responseLength: '$context.responseLength',
    responseLatencyMs: '$context.responseLatency',
    integrationLatencyMs: '$context.integrationLatency',
    integrationStatus: '$context.integration.status',
    lambdaStatus: '$context.integrationStatus',
    integrationError: '$context.integrationErrorMessage',
    error: '$context.error.message',
  }),
);

/** Properties of {@link TelegramIngest}. */
export interface TelegramIngestProps extends ChannelWebhookOptions {
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
   * Default request rate limits of each route of the API's default stage, for routes without limits of
   * their own. They stop a flood of requests before it reaches Lambda. API Gateway applies limits on a
   * best-effort basis, as targets. A throttled request gets 429, and Telegram delivers the update again
   * later. The defaults are an estimate of a personal-finance bot's needs, not a measurement.
   * @default { rateLimit: 100, burstLimit: 200 }
   */
  readonly throttle?: ThrottleSettings;
  /**
   * Request rate limits of the `POST /webhooks/telegram` route, which replace the stage defaults for this
   * route. The bot can send only about 30 replies per second, so accepting updates much faster only queues
   * them. 50 per second with bursts of 100 leaves room for the backlog that Telegram delivers after an
   * outage. This is an estimate, not a measurement.
   * @default { rateLimit: 50, burstLimit: 100 }
   */
  readonly routeThrottle?: ThrottleSettings;
}

/**
 * The inbound edge of the Telegram channel. It contains the HTTP API route `POST /webhooks/telegram`,
 * the webhook function behind it and the FIFO queue that the function writes to. The queue's FIFO
 * dead-letter queue has an alarm that fires as soon as one message arrives there.
 *
 * The webhook function may only send to the queue and read the secret. The API writes a JSON access log
 * line per request, without the body and with no header but User-Agent, to a log group with the stage's
 * retention.
 */
export class TelegramIngest extends Construct {
  /** HTTP API with the channel webhook routes. */
  readonly api: HttpApi;
  /** Default stage of the API, which carries the request rate limits of every route. */
  readonly stage: HttpStage;
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
  /** Log group of the API's access log. */
  readonly accessLogGroup: LogGroup;

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
      // The webhooks set MessageDeduplicationId to Telegram's update id or WhatsApp's event id, so a
      // channel's redeliveries of the same update are dropped even when their bodies differ.
      contentBasedDeduplication: false,
      visibilityTimeout: Duration.seconds(INBOUND_QUEUE.visibilityTimeoutSeconds),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: INBOUND_QUEUE.maxReceiveCount },
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });

    this.deadLetterAlarm = queueNotEmptyAlarm(this, 'DeadLetterAlarm', {
      queue: this.deadLetterQueue,
      nameSuffix: 'dead-letter-queue-not-empty',
      description:
        'Inbound Telegram updates failed processing and moved to the dead-letter queue. Read the processor ' +
        'logs for the cause, fix it, then move the records back with npm run dlq:redrive. ' +
        'Runbook: docs/operations.md, "Dead-letter queue not empty".',
    });
    notifyOnStateChange(this.deadLetterAlarm, props.alarmTopic);

    this.webhookFunction = createWebhookFunction(this, 'Webhook', {
      functionDefaults: props.functionDefaults,
      entry: props.entry,
      serviceName: SERVICE_NAMES.telegramWebhook,
      description: 'Verifies Telegram webhook requests and enqueues the updates',
      queue: this.queue,
      secret: props.secret,
      secretVariable: 'TELEGRAM_SECRET_ARN',
      environment: { TELEGRAM_IP_CHECK: String(props.checkSourceIp ?? true) },
      maxBodyBytes: props.maxBodyBytes,
      secretsCacheSeconds: props.secretsCacheSeconds,
      reservedConcurrency: props.reservedConcurrency,
    });

    this.api = new HttpApi(this, 'HttpApi', {
      description: 'Webhook endpoints of the Financy chat channels',
      createDefaultStage: false,
    });
    this.accessLogGroup = new LogGroup(this, 'AccessLogs', {
      retention: props.functionDefaults.logRetention,
      removalPolicy: props.functionDefaults.logRemovalPolicy,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? { rateLimit: 100, burstLimit: 200 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogGroup),
        format: ACCESS_LOG_FORMAT,
      },
    });
    addWebhookRoutes({
      api: this.api,
      stage: this.stage,
      path: TELEGRAM_WEBHOOK_PATH,
      methods: [
        { method: HttpMethod.POST, throttle: props.routeThrottle ?? { rateLimit: 50, burstLimit: 100 } },
      ],
      handler: this.webhookFunction,
      integrationId: 'TelegramWebhookIntegration',
      authenticationReason:
        'Telegram cannot sign webhook requests for IAM, JWT or a Lambda authorizer. The webhook function ' +
        'authenticates every request itself: it compares the X-Telegram-Bot-Api-Secret-Token header with the ' +
        'registered secret in constant time and checks the source address against the ranges that Telegram publishes.',
    });

    this.webhookUrl = `${this.api.apiEndpoint}${TELEGRAM_WEBHOOK_PATH}`;
  }
}
