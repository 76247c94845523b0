import { type CfnElement, CustomResource, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { Role } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Provider } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import {
  DEFAULT_TELEGRAM_API_BASE_URL,
  type WebhookRegistrationProperties,
} from '../../lib/channels/telegram/register-webhook';
import { SERVICE_NAMES, TELEGRAM_ALLOWED_UPDATES } from '../definitions';
import { ApplicationFunction, type FunctionDefaults } from './application-function';
import {
  acknowledgeRuntime,
  createExecutionRole,
  defaultPolicyOf,
  enableActiveTracing,
} from './lambda-hardening';

/** Properties of {@link TelegramWebhookRegistration}. */
export interface TelegramWebhookRegistrationProps {
  /** Stack-wide function settings. */
  readonly functionDefaults: FunctionDefaults;
  /** Entry file of the registration handler, absolute or relative to the project root. */
  readonly entry: string;
  /** Secret with `botToken` and `webhookSecret`. The handler gets read access to it. */
  readonly secret: ISecret;
  /** Public HTTPS URL that Telegram should post updates to. */
  readonly webhookUrl: string;
  /**
   * Update types that Telegram delivers.
   * @default TELEGRAM_ALLOWED_UPDATES from infra/definitions
   */
  readonly allowedUpdates?: readonly string[];
  /**
   * Any value that identifies the secret's current content, usually the VersionId returned by
   * `aws secretsmanager put-secret-value`. CloudFormation cannot see changes made to the secret
   * outside the stack, so a new value here is what makes a deploy register the webhook again.
   * @default 'initial'
   */
  readonly secretVersion?: string;
  /**
   * Bot API server that the handler calls (TELEGRAM_API_BASE_URL).
   * @default 'https://api.telegram.org'
   */
  readonly telegramApiBaseUrl?: string;
}

/**
 * A `Custom::TelegramWebhook` resource that calls setWebhook on Create and Update and
 * deleteWebhook on Delete. It changes, and so re-registers, when the webhook URL, the allowed
 * updates, the secret or `secretVersion` change.
 *
 * While the secret contains the placeholder bot token the handler skips the call and succeeds, so
 * the first deploy works before the token is set. The `Message` attribute describes the outcome.
 */
export class TelegramWebhookRegistration extends Construct {
  /** The custom resource. */
  readonly resource: CustomResource;
  /** `registered`, `deleted` or `skipped`, from the last Create or Update. */
  readonly status: string;
  /** Description of the last Create or Update, or the reason it skipped the call. */
  readonly message: string;

  constructor(scope: Construct, id: string, props: TelegramWebhookRegistrationProps) {
    super(scope, id);

    const handler = new ApplicationFunction(this, 'Handler', {
      defaults: props.functionDefaults,
      entry: props.entry,
      serviceName: SERVICE_NAMES.telegramRegisterWebhook,
      description: 'Registers the Telegram webhook during deployment',
      memorySize: 256,
      // Room for three 10-second requests, their backoff and one rate-limit wait of up to 20 s.
      timeout: Duration.minutes(2),
      environment: { TELEGRAM_API_BASE_URL: props.telegramApiBaseUrl ?? DEFAULT_TELEGRAM_API_BASE_URL },
    });
    props.secret.grantRead(handler.lambdaFunction);

    const providerLogs = new LogGroup(this, 'ProviderLogs', {
      retention: props.functionDefaults.logRetention,
      removalPolicy: props.functionDefaults.logRemovalPolicy,
    });
    const providerRole = createExecutionRole(this, 'ProviderRole', providerLogs);
    const provider = new Provider(this, 'Provider', {
      onEventHandler: handler.lambdaFunction,
      logGroup: providerLogs,
      frameworkOnEventRole: providerRole,
    });
    this.hardenProviderFunction(provider, providerRole, handler.lambdaFunction);

    const properties: WebhookRegistrationProperties = {
      SecretArn: props.secret.secretArn,
      WebhookUrl: props.webhookUrl,
      AllowedUpdates: [...(props.allowedUpdates ?? TELEGRAM_ALLOWED_UPDATES)],
      SecretVersion: props.secretVersion ?? 'initial',
    };
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::TelegramWebhook',
      properties: { ...properties },
    });
    this.status = this.resource.getAttString('Status');
    this.message = this.resource.getAttString('Message');
  }

  /**
   * Traces the provider framework's onEvent function like the application functions, and records why its
   * remaining cdk-nag findings stay. Provider exposes no tracing option, so the setting goes on the L1 resource.
   */
  private hardenProviderFunction(provider: Provider, role: Role, handler: LambdaFunction): void {
    const frameworkFunction = provider.node.findChild('framework-onEvent') as LambdaFunction;
    enableActiveTracing(frameworkFunction, role);
    acknowledgeRuntime(
      frameworkFunction,
      'The runtime of the custom resource provider framework is chosen by aws-cdk-lib (the newest Node.js ' +
        'runtime it knows) and changes when aws-cdk-lib is upgraded. The function runs only during deploys.',
    );

    // Provider grants lambda:InvokeFunction on the handler's ARN and on `<ARN>:*`, its versions and aliases.
    const handlerLogicalId = Stack.of(this).getLogicalId(handler.node.defaultChild as CfnElement);
    Validations.of(defaultPolicyOf(role)).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${handlerLogicalId}.Arn>:*]`,
      reason:
        'The provider framework may invoke only the registration handler. The wildcard covers the versions and ' +
        'aliases of that one function, which Provider adds through grantInvoke and which cannot be removed.',
    });
  }
}
