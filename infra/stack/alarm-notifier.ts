import { Duration, Fn } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SERVICE_NAMES } from '../definitions';
import { ApplicationFunction, type FunctionDefaults } from './application-function';
import type { FailedInvocations } from './failed-invocations';

/** Properties of {@link AlarmNotifier}. */
export interface AlarmNotifierProps {
  /** Stack-wide function settings. */
  readonly functionDefaults: FunctionDefaults;
  /** Entry file of the notifier function, absolute or relative to the project root. */
  readonly entry: string;
  /** Topic that every alarm notifies. */
  readonly alarmTopic: ITopic;
  /** Queue that the Slack alerts go to. The function may only send to it. */
  readonly notificationQueue: IQueue;
  /** Queue that receives the SNS events that failed for good. */
  readonly failures: FailedInvocations;
  /** Deployment stage, shown in every alert (STAGE). */
  readonly stage: string;
  /**
   * FX refresh functions, whose Lambda `Errors` alarms raise the `fx-refresh-failing` alert
   * (FX_REFRESH_FUNCTION_NAMES).
   * @default - none
   */
  readonly fxRefreshFunctions?: readonly IFunction[];
  /**
   * Name of the Slack webhook in the Slack secret that the alerts go to (SLACK_WEBHOOK_NAME).
   * @default - unset, so the function's own default `operations` applies
   */
  readonly slackWebhook?: string;
}

/**
 * The alarm-notifier function, subscribed to the alarm topic. It queues a Slack notification for each alarm
 * that enters ALARM and matches an operations alert: a dead-letter queue that is not empty, a circuit that
 * stays open, or an FX refresh that keeps failing. The notification sender posts it to the `operations`
 * webhook. The alarm's e-mail subscribers get every state change as before.
 */
export class AlarmNotifier extends Construct {
  /** The notifier function. */
  readonly notifierFunction: NodejsFunction;

  constructor(scope: Construct, id: string, props: AlarmNotifierProps) {
    super(scope, id);

    const environment: Record<string, string> = {
      NOTIFICATION_QUEUE_URL: props.notificationQueue.queueUrl,
      STAGE: props.stage,
    };
    const fxRefreshFunctions = props.fxRefreshFunctions ?? [];
    if (fxRefreshFunctions.length > 0) {
      environment.FX_REFRESH_FUNCTION_NAMES = Fn.join(
        ',',
        fxRefreshFunctions.map((fxRefreshFunction) => fxRefreshFunction.functionName),
      );
    }
    if (props.slackWebhook !== undefined) {
      environment.SLACK_WEBHOOK_NAME = props.slackWebhook;
    }

    const notifier = new ApplicationFunction(this, 'Notifier', {
      defaults: props.functionDefaults,
      entry: props.entry,
      serviceName: SERVICE_NAMES.alarmNotifier,
      description: 'Queues a Slack alert for each alarm that enters ALARM',
      memorySize: 256,
      timeout: Duration.seconds(30),
      environment,
    });
    this.notifierFunction = notifier.lambdaFunction;
    props.notificationQueue.grantSendMessages(this.notifierFunction);

    props.alarmTopic.addSubscription(new LambdaSubscription(this.notifierFunction));
    props.failures.captureFailuresOf(this.notifierFunction, {
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
    });
  }
}
