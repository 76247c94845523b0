import { Duration, Validations } from 'aws-cdk-lib';
import type {
  CfnRoute,
  CfnStage,
  HttpApi,
  HttpMethod,
  HttpStage,
  ThrottleSettings,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { PayloadFormatVersion } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { WEBHOOK_MAX_BODY_BYTES } from '../definitions';
import { ApplicationFunction, type FunctionDefaults } from './application-function';

/** Properties of {@link createWebhookFunction}. */
export interface WebhookFunctionProps {
  /** Stack-wide function settings. */
  readonly functionDefaults: FunctionDefaults;
  /** Entry file of the function, absolute or relative to the project root. */
  readonly entry: string;
  /** Powertools service name, one of SERVICE_NAMES. */
  readonly serviceName: string;
  /** Description shown in the Lambda console. */
  readonly description: string;
  /** Inbound FIFO queue (INBOUND_QUEUE_URL). The function may only send to it. */
  readonly queue: IQueue;
  /** Secret of the channel's credentials. The function may only read it. */
  readonly secret: ISecret;
  /** Environment variable that carries the secret's ARN, such as `TELEGRAM_SECRET_ARN`. */
  readonly secretVariable: string;
  /**
   * Environment variables of the channel besides the ones that every webhook function gets.
   * @default - none
   */
  readonly environment?: Record<string, string>;
  /**
   * Largest accepted request body in bytes (WEBHOOK_MAX_BODY_BYTES). API Gateway itself passes bodies up
   * to its fixed 10 MB limit, so this check in the function is the one that applies.
   * @default WEBHOOK_MAX_BODY_BYTES from infra/definitions, 1 MiB
   */
  readonly maxBodyBytes?: number;
  /**
   * Seconds that the function caches the secret (SECRETS_CACHE_SECONDS).
   * @default 300
   */
  readonly secretsCacheSeconds?: number;
  /**
   * Reserved concurrency of the function: guaranteed to it and also its ceiling, so a flood of webhook
   * requests cannot use up the concurrency that the processor needs.
   * @default - none
   */
  readonly reservedConcurrency?: number;
}

/**
 * Creates the webhook function of a chat channel: 256 MB, a 5-s timeout, permission to send to the
 * inbound queue and to read the channel's secret, and nothing else. The channel waits for the HTTP
 * response, so the function only verifies the request and enqueues what it carries.
 */
export function createWebhookFunction(
  scope: Construct,
  id: string,
  props: WebhookFunctionProps,
): NodejsFunction {
  const environment: Record<string, string> = {
    INBOUND_QUEUE_URL: props.queue.queueUrl,
    [props.secretVariable]: props.secret.secretArn,
    ...props.environment,
    SECRETS_CACHE_SECONDS: String(props.secretsCacheSeconds ?? 300),
    WEBHOOK_MAX_BODY_BYTES: String(props.maxBodyBytes ?? WEBHOOK_MAX_BODY_BYTES),
  };

  const webhook = new ApplicationFunction(scope, id, {
    defaults: props.functionDefaults,
    entry: props.entry,
    serviceName: props.serviceName,
    description: props.description,
    memorySize: 256,
    timeout: Duration.seconds(5),
    reservedConcurrentExecutions: props.reservedConcurrency,
    environment,
  });
  props.queue.grantSendMessages(webhook.lambdaFunction);
  props.secret.grantRead(webhook.lambdaFunction);

  return webhook.lambdaFunction;
}

/** Properties of a channel's ingest construct that it passes on to {@link createWebhookFunction}. */
export type ChannelWebhookOptions = Pick<
  WebhookFunctionProps,
  'functionDefaults' | 'entry' | 'maxBodyBytes' | 'secretsCacheSeconds' | 'reservedConcurrency'
>;

/** One method of a webhook path with its request rate limits. */
export interface WebhookRouteMethod {
  /** HTTP method of the route. */
  readonly method: HttpMethod;
  /** Request rate limits of the route, which replace the stage's default limits for it. */
  readonly throttle: ThrottleSettings;
}

/** Properties of {@link addWebhookRoutes}. */
export interface WebhookRoutesProps {
  /** HTTP API that the routes belong to. */
  readonly api: HttpApi;
  /** Stage of the API that carries each route's rate limits. */
  readonly stage: HttpStage;
  /** Path of the routes, such as `/webhooks/telegram`. */
  readonly path: string;
  /** Methods of the path, each a route of its own. */
  readonly methods: readonly WebhookRouteMethod[];
  /** Function behind the routes, invoked with payload format 2.0. */
  readonly handler: IFunction;
  /** Construct id of the Lambda integration, unique in the API. */
  readonly integrationId: string;
  /**
   * Why the routes have no API Gateway authorizer, for cdk-nag's AwsSolutions-APIG4: how the function
   * authenticates each request instead.
   */
  readonly authenticationReason: string;
}

/**
 * Adds the routes of a channel webhook to the HTTP API, all to one Lambda integration, and gives each route
 * its own request rate limits on the stage.
 *
 * HttpStage has no per-route settings, so they go on the L1 stage, merged with the settings of other
 * channels' routes. CloudFormation rejects route settings for a route key that does not exist yet, so the
 * stage depends on the routes.
 */
export function addWebhookRoutes(props: WebhookRoutesProps): void {
  const routes = props.api.addRoutes({
    path: props.path,
    methods: props.methods.map(({ method }) => method),
    integration: new HttpLambdaIntegration(props.integrationId, props.handler, {
      payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
    }),
  });
  for (const route of routes) {
    Validations.of(route.node.defaultChild as CfnRoute).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason: props.authenticationReason,
    });
  }

  const cfnStage = props.stage.node.defaultChild as CfnStage;
  const routeSettings: Record<string, unknown> = { ...(cfnStage.routeSettings as Record<string, unknown>) };
  for (const { method, throttle } of props.methods) {
    routeSettings[`${method} ${props.path}`] = {
      ThrottlingRateLimit: throttle.rateLimit,
      ThrottlingBurstLimit: throttle.burstLimit,
    };
  }
  cfnStage.routeSettings = routeSettings;
  for (const route of routes) {
    props.stage.node.addDependency(route);
  }
}
