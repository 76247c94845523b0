import { type CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Schedule } from 'aws-cdk-lib/aws-events';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SERVICE_NAMES } from '../definitions';
import { ApplicationFunction, type FunctionDefaults } from './application-function';
import type { FailedInvocations } from './failed-invocations';
import { defaultPolicyOf } from './lambda-hardening';
import { scheduleFunction } from './scheduled-run';
import type { FinancyTables } from './tables';

/** Properties of {@link WeeklySummary}. */
export interface WeeklySummaryProps {
  /** Stack-wide function settings. */
  readonly functionDefaults: FunctionDefaults;
  /** Entry file of the weekly summary function, absolute or relative to the project root. */
  readonly entry: string;
  /** Tables of the stack, of which the function reads `users` and `transactions` and claims in `idempotency`. */
  readonly tables: FinancyTables;
  /** Queue that the summaries go to. The function may only send to it. */
  readonly notificationQueue: IQueue;
  /** Queue that receives the runs that failed for good. */
  readonly failures: FailedInvocations;
  /**
   * https link to the notification settings, shown in the summary e-mail (WEEKLY_SUMMARY_SETTINGS_URL).
   * @default - none, so the e-mail has no settings link
   */
  readonly settingsUrl?: string;
}

/**
 * The weekly summary: a function that pages through the users who opted in and queues each one's summary
 * of the previous week, run every Monday at 12:00 UTC. That is Monday in every time zone from UTC−12 to
 * UTC+14, so the "previous week" that the function computes in each user's time zone is the same completed
 * Monday-to-Sunday week for everyone.
 *
 * An incomplete run fails, and Lambda retries it twice; claims in the idempotency table keep the retries from
 * queuing a summary twice. A run that still fails goes to the failed-invocations queue.
 */
export class WeeklySummary extends Construct {
  /** The weekly summary function. */
  readonly summaryFunction: NodejsFunction;

  constructor(scope: Construct, id: string, props: WeeklySummaryProps) {
    super(scope, id);
    const users = props.tables.tables.get('users');
    const transactions = props.tables.tables.get('transactions');
    const idempotency = props.tables.tables.get('idempotency');
    if (users === undefined || transactions === undefined || idempotency === undefined) {
      throw new Error(
        'The weekly summary needs the users, transactions and idempotency tables, but FinancyTables did not create them.',
      );
    }

    const environment: Record<string, string> = {
      USERS_TABLE: users.tableName,
      TRANSACTIONS_TABLE: transactions.tableName,
      IDEMPOTENCY_TABLE: idempotency.tableName,
      NOTIFICATION_QUEUE_URL: props.notificationQueue.queueUrl,
    };
    if (props.settingsUrl !== undefined) {
      environment.WEEKLY_SUMMARY_SETTINGS_URL = props.settingsUrl;
    }

    const summary = new ApplicationFunction(this, 'Summary', {
      defaults: props.functionDefaults,
      entry: props.entry,
      serviceName: SERVICE_NAMES.weeklySummary,
      description: "Queues each opted-in user's summary of the previous week",
      memorySize: 512,
      // Lambda's maximum. The function stops queuing before its time runs out, and its claims last 15 minutes,
      // so a claim outlives the run that took it.
      timeout: Duration.minutes(15),
      environment,
    });
    this.summaryFunction = summary.lambdaFunction;
    users.grantReadData(this.summaryFunction);
    transactions.grantReadData(this.summaryFunction);
    idempotency.grantReadWriteData(this.summaryFunction);
    props.notificationQueue.grantSendMessages(this.summaryFunction);

    const transactionsId = Stack.of(this).getLogicalId(transactions.node.defaultChild as CfnElement);
    Validations.of(defaultPolicyOf(summary.role)).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${transactionsId}.Arn>/index/*]`,
      reason:
        "grantReadData grants read access to the transactions table's global secondary indexes as " +
        '`<table ARN>/index/*`. The summary queries the byDate index, and the table has only the indexes ' +
        'defined in lib/store/tables.ts, so the wildcard reaches no other table.',
    });

    scheduleFunction(this, 'WeeklyRule', this.summaryFunction, {
      schedule: Schedule.cron({ weekDay: 'MON', hour: '12', minute: '0' }),
      description: 'Runs the weekly summary every Monday at 12:00 UTC',
      failures: props.failures,
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
    });
  }
}
