import type { Duration } from 'aws-cdk-lib';
import { Rule, type Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import type { FailedInvocations } from './failed-invocations';

/** Options of {@link scheduleFunction}. */
export interface ScheduleFunctionOptions {
  /** When the function runs. EventBridge evaluates cron expressions in UTC. */
  readonly schedule: Schedule;
  /** Description of the rule in the EventBridge console. */
  readonly description: string;
  /** Queue that receives the runs that failed for good. */
  readonly failures: FailedInvocations;
  /**
   * Retries of a failed run, from 0 to 2, which Lambda makes about 1 and then 2 minutes apart. Use 0 for a
   * function that must not repeat work.
   */
  readonly retryAttempts: number;
  /**
   * Age after which a run that has not happened yet is dropped into the failures queue: the age at which
   * EventBridge stops retrying the delivery to Lambda, and Lambda stops retrying the invocation.
   */
  readonly maxEventAge: Duration;
}

/**
 * Runs a function on a schedule through an EventBridge rule. A run can fail at two points, and both end in
 * the failures queue. EventBridge may fail to deliver the event to Lambda, for example while Lambda
 * throttles, and retries until the event is `maxEventAge` old. Or the function fails on every attempt.
 */
export function scheduleFunction(
  scope: Construct,
  id: string,
  lambdaFunction: IFunction,
  options: ScheduleFunctionOptions,
): Rule {
  options.failures.captureFailuresOf(lambdaFunction, {
    retryAttempts: options.retryAttempts,
    maxEventAge: options.maxEventAge,
  });

  return new Rule(scope, id, {
    schedule: options.schedule,
    description: options.description,
    targets: [
      new LambdaFunction(lambdaFunction, {
        deadLetterQueue: options.failures.queue,
        // EventBridge retries a failed delivery with backoff, up to 185 times, until the event is this old.
        maxEventAge: options.maxEventAge,
      }),
    ],
  });
}
