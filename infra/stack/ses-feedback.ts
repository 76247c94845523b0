import { Duration } from 'aws-cdk-lib';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { SERVICE_NAMES } from '../definitions';
import { ApplicationFunction, type FunctionDefaults } from './application-function';
import type { FailedInvocations } from './failed-invocations';
import type { FinancyTables } from './tables';

/** Properties of {@link SesFeedback}. */
export interface SesFeedbackProps {
  /** Stack-wide function settings. */
  readonly functionDefaults: FunctionDefaults;
  /** Entry file of the feedback function, absolute or relative to the project root. */
  readonly entry: string;
  /** Topic that SES publishes bounces, complaints and deliveries to. */
  readonly feedbackTopic: ITopic;
  /** Tables of the stack, of which the function uses `suppressions`. */
  readonly tables: FinancyTables;
  /** Queue that receives the SNS events that failed for good. */
  readonly failures: FailedInvocations;
  /**
   * Soft bounces since the last delivery after which an address is suppressed (NOTIFY_TRANSIENT_BOUNCE_LIMIT).
   * @default - unset, so the function's own default of 3 applies
   */
  readonly transientBounceLimit?: number;
}

/**
 * The ses-feedback function, subscribed to the SES feedback topic: it records bounces, complaints and
 * deliveries in the suppression table, which the notification sender checks before each e-mail.
 *
 * SNS invokes the function asynchronously. A failed event is retried twice, then it goes to the
 * failed-invocations queue, because a lost complaint would leave an address that must not get mail
 * unsuppressed.
 */
export class SesFeedback extends Construct {
  /** The feedback function. */
  readonly feedbackFunction: NodejsFunction;

  constructor(scope: Construct, id: string, props: SesFeedbackProps) {
    super(scope, id);
    const suppressions = props.tables.tables.get('suppressions');
    if (suppressions === undefined) {
      throw new Error('SES feedback needs the suppressions table, but FinancyTables did not create it.');
    }

    const environment: Record<string, string> = { SUPPRESSIONS_TABLE: suppressions.tableName };
    if (props.transientBounceLimit !== undefined) {
      environment.NOTIFY_TRANSIENT_BOUNCE_LIMIT = String(props.transientBounceLimit);
    }

    const feedback = new ApplicationFunction(this, 'Feedback', {
      defaults: props.functionDefaults,
      entry: props.entry,
      serviceName: SERVICE_NAMES.sesFeedback,
      description: 'Records SES bounces, complaints and deliveries in the suppression table',
      memorySize: 256,
      timeout: Duration.seconds(30),
      environment,
    });
    this.feedbackFunction = feedback.lambdaFunction;
    suppressions.grantReadWriteData(this.feedbackFunction);

    props.feedbackTopic.addSubscription(new LambdaSubscription(this.feedbackFunction));
    props.failures.captureFailuresOf(this.feedbackFunction, {
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
    });
  }
}
