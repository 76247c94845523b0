import { type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  type HttpApi,
  HttpMethod,
  type HttpStage,
  type ThrottleSettings,
} from 'aws-cdk-lib/aws-apigatewayv2';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SERVICE_NAMES } from '../definitions';
import { addWebhookRoutes, type ChannelWebhookOptions, createWebhookFunction } from './channel-webhook';

/** Path of the WhatsApp webhook routes on the HTTP API, the callback URL's path in the Meta app. */
export const WHATSAPP_WEBHOOK_PATH = '/webhooks/whatsapp';

/** Value of the secret's `accessToken` and `appSecret` until the operator puts the real ones in. */
export const WHATSAPP_SECRET_PLACEHOLDER = 'REPLACE_ME';

/** Properties of {@link WhatsAppIngest}. */
export interface WhatsAppIngestProps extends ChannelWebhookOptions {
  /** HTTP API that gets the WhatsApp routes, the one that carries the Telegram route. */
  readonly api: HttpApi;
  /** Default stage of the API, which gets the request rate limits of the WhatsApp routes. */
  readonly apiStage: HttpStage;
  /** Inbound FIFO queue that the webhook function sends to. */
  readonly queue: IQueue;
  /** Removal policy of the secret. */
  readonly secretRemovalPolicy: RemovalPolicy;
  /**
   * Request rate limits of the `POST /webhooks/whatsapp` route, which replace the stage defaults for this
   * route. The processor sends at most 50 WhatsApp messages per second (the `whatsapp:messages` rate limit
   * in lib/resilience/limits.ts), so accepting notifications much faster only queues them. The limits match
   * the Telegram route's. They are an estimate, not a measurement.
   * @default { rateLimit: 50, burstLimit: 100 }
   */
  readonly routeThrottle?: ThrottleSettings;
  /**
   * Request rate limits of the `GET /webhooks/whatsapp` route. Meta sends this subscription handshake only
   * when the callback URL is saved in the app dashboard, so a low limit costs nothing and slows down
   * guessing of the verify token.
   * @default { rateLimit: 1, burstLimit: 5 }
   */
  readonly handshakeThrottle?: ThrottleSettings;
}

/**
 * The inbound edge of the WhatsApp channel, on the HTTP API of {@link TelegramIngest}: the routes
 * `GET /webhooks/whatsapp` (Meta's subscription handshake) and `POST /webhooks/whatsapp` (notifications),
 * the webhook function behind both, and the secret with the Cloud API credentials. The function writes to
 * the inbound FIFO queue that Telegram updates also go to, so the processor and the dead-letter alarm serve
 * both channels.
 *
 * The webhook function may only send to the queue and read the secret.
 */
export class WhatsAppIngest extends Construct {
  /**
   * Secret with `accessToken`, `appSecret`, `verifyToken` and `phoneNumberIds`. The stack generates the
   * verify token. The operator puts the other values in with `aws secretsmanager put-secret-value`.
   */
  readonly secret: Secret;
  /** Function behind `GET` and `POST /webhooks/whatsapp`. */
  readonly webhookFunction: NodejsFunction;
  /** Public URL to enter as the callback URL in the Meta app's webhook settings. */
  readonly webhookUrl: string;

  constructor(scope: Construct, id: string, props: WhatsAppIngestProps) {
    super(scope, id);

    // The template contains only placeholders, and Secrets Manager generates the verify token, so no
    // credential appears in the template. The functions' secret check rejects the empty phoneNumberIds, so
    // the webhook returns 503 for every request until the operator writes the real values, and a body
    // signed with the placeholder app secret, which anyone can read here, never gets queued.
    this.secret = new Secret(this, 'Secret', {
      description:
        `${Stack.of(this).stackName}: WhatsApp Cloud API access token, app secret, webhook verify token ` +
        'and business phone number ids',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({
          accessToken: WHATSAPP_SECRET_PLACEHOLDER,
          appSecret: WHATSAPP_SECRET_PLACEHOLDER,
          phoneNumberIds: [],
        }),
        generateStringKey: 'verifyToken',
        excludePunctuation: true,
        includeSpace: false,
        passwordLength: 64,
      },
      removalPolicy: props.secretRemovalPolicy,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'A Lambda function cannot rotate these values: Meta issues the access token and the app secret in ' +
        'the Meta app and Business Manager, and the verify token must match the one saved in the app. ' +
        'docs/deploy.md describes rotating them by hand with put-secret-value; the functions read the new ' +
        'values within SECRETS_CACHE_SECONDS, without a deploy.',
    });

    this.webhookFunction = createWebhookFunction(this, 'Webhook', {
      functionDefaults: props.functionDefaults,
      entry: props.entry,
      serviceName: SERVICE_NAMES.whatsappWebhook,
      description:
        'Responds to the WhatsApp subscription handshake, verifies notifications and enqueues them',
      queue: props.queue,
      secret: this.secret,
      secretVariable: 'WHATSAPP_SECRET_ARN',
      maxBodyBytes: props.maxBodyBytes,
      secretsCacheSeconds: props.secretsCacheSeconds,
      reservedConcurrency: props.reservedConcurrency,
    });

    addWebhookRoutes({
      api: props.api,
      stage: props.apiStage,
      path: WHATSAPP_WEBHOOK_PATH,
      methods: [
        { method: HttpMethod.GET, throttle: props.handshakeThrottle ?? { rateLimit: 1, burstLimit: 5 } },
        { method: HttpMethod.POST, throttle: props.routeThrottle ?? { rateLimit: 50, burstLimit: 100 } },
      ],
      handler: this.webhookFunction,
      integrationId: 'WhatsAppWebhookIntegration',
      authenticationReason:
        'Meta cannot sign webhook requests for IAM, JWT or a Lambda authorizer. The webhook function ' +
        'authenticates every request itself: a POST must carry X-Hub-Signature-256, the HMAC-SHA256 of the ' +
        'raw body with the app secret, and the GET handshake must present the verify token. Both are ' +
        'compared in constant time.',
    });

    this.webhookUrl = `${props.api.apiEndpoint}${WHATSAPP_WEBHOOK_PATH}`;
  }
}
