import { Match } from 'aws-cdk-lib/assertions';
import {
  NOTIFICATION_QUEUE,
  NOTIFICATION_SENDER_BATCH_SIZE,
  NOTIFICATION_SENDER_TIMEOUT_SECONDS,
} from '../../infra/definitions';
import { EMAIL_SENDER_NOT_CONFIGURED } from '../../infra/stack/email-sending';
import {
  environmentOf,
  findFunction,
  logicalIdOf,
  type PolicyStatementJson,
  resourcesOf,
  statementsOfFunctionRole,
  synthesizeStack,
} from './stack-fixture';

/** Lease of a notification's idempotency claim in lib/notify/create-dependencies.ts, in seconds. */
const CLAIM_LEASE_SECONDS = 120;

const SENDER = {
  from: 'Financy <reports@example.com>',
  address: 'reports@example.com',
  domain: 'example.com',
};

function statementsWith(statements: PolicyStatementJson[], action: string): PolicyStatementJson[] {
  return statements.filter((statement) => [statement.Action].flat().includes(action));
}

describe('Notifications', () => {
  const template = synthesizeStack('dev');
  const [senderId, sender] = findFunction(template, 'notification-sender');
  const queueId = logicalIdOf(template, 'AWS::SQS::Queue', { QueueName: 'financy-dev-notifications' });
  const deadLetterId = logicalIdOf(template, 'AWS::SQS::Queue', {
    QueueName: 'financy-dev-notifications-dlq',
  });

  it('redrives to the dead-letter queue after 5 receives', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'financy-dev-notifications',
      VisibilityTimeout: NOTIFICATION_QUEUE.visibilityTimeoutSeconds,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterId, 'Arn'] },
        maxReceiveCount: NOTIFICATION_QUEUE.maxReceiveCount,
      },
      SqsManagedSseEnabled: true,
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'financy-dev-notifications-dlq',
      MessageRetentionPeriod: NOTIFICATION_QUEUE.deadLetterRetentionDays * 86_400,
    });
    expect(NOTIFICATION_QUEUE.maxReceiveCount).toBe(5);
  });

  it('keeps the sender within the claim lease and the visibility timeout', () => {
    expect(sender.Properties?.Timeout).toBe(NOTIFICATION_SENDER_TIMEOUT_SECONDS);
    expect(NOTIFICATION_SENDER_TIMEOUT_SECONDS).toBeLessThan(CLAIM_LEASE_SECONDS);
    expect(NOTIFICATION_QUEUE.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(
      6 * NOTIFICATION_SENDER_TIMEOUT_SECONDS,
    );
  });

  it('consumes the queue with partial batch failures', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: senderId },
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      BatchSize: NOTIFICATION_SENDER_BATCH_SIZE,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 2 },
    });
  });

  it('alarms on one dead-lettered notification', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Financy-dev-notification-dead-letter-queue-not-empty',
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [deadLetterId, 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
    });
  });

  it('passes tables, SES settings and the Slack secret', () => {
    const slackSecretId = logicalIdOf(template, 'AWS::SecretsManager::Secret', {
      Description: Match.stringLikeRegexp('Slack'),
    });

    expect(environmentOf(sender)).toMatchObject({
      USERS_TABLE: { Ref: expect.stringContaining('UsersTable') },
      IDEMPOTENCY_TABLE: { Ref: expect.stringContaining('IdempotencyTable') },
      RESILIENCE_TABLE: { Ref: expect.stringContaining('ResilienceTable') },
      SUPPRESSIONS_TABLE: { Ref: expect.stringContaining('SuppressionsTable') },
      NOTIFY_EMAIL_FROM: EMAIL_SENDER_NOT_CONFIGURED,
      NOTIFY_SES_CONFIGURATION_SET: { Ref: expect.stringContaining('ConfigurationSet') },
      SLACK_SECRET_ARN: { Ref: slackSecretId },
    });
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Description: Match.stringLikeRegexp('Slack'),
      SecretString: '{}',
    });
  });

  it('reads suppressions without writing them', () => {
    const suppressionStatements = statementsOfFunctionRole(template, sender).filter((statement) =>
      JSON.stringify(statement.Resource).includes('SuppressionsTable'),
    );

    expect(suppressionStatements.length).toBeGreaterThan(0);
    for (const statement of suppressionStatements) {
      expect([statement.Action].flat()).not.toContain('dynamodb:PutItem');
    }
  });

  it('sends no e-mail without a configured sender', () => {
    const statements = statementsOfFunctionRole(template, sender);

    expect(statementsWith(statements, 'ses:SendEmail')).toEqual([]);
    expect(statementsWith(statements, 'ses:GetSuppressedDestination')).toEqual([
      { Effect: 'Allow', Action: 'ses:GetSuppressedDestination', Resource: '*' },
    ]);
  });

  it('sends e-mail only from its identity and configuration set', () => {
    const withSender = synthesizeStack('dev', { emailSender: SENDER });
    const [, senderWithEmail] = findFunction(withSender, 'notification-sender');
    const [statement] = statementsWith(
      statementsOfFunctionRole(withSender, senderWithEmail),
      'ses:SendEmail',
    );

    expect(environmentOf(senderWithEmail).NOTIFY_EMAIL_FROM).toBe(SENDER.from);
    expect(statement?.Action).toBe('ses:SendEmail');
    expect(JSON.stringify(statement?.Resource)).toContain(':identity/reports@example.com');
    expect(JSON.stringify(statement?.Resource)).toContain(':configuration-set/');
    expect(statement?.Resource).toHaveLength(2);
  });

  it('publishes to platform endpoints and phone numbers', () => {
    const publish = statementsWith(statementsOfFunctionRole(template, sender), 'sns:Publish');

    expect(publish.map((statement) => statement.Resource)).toEqual(
      expect.arrayContaining([
        '*',
        {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':sns:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              ':endpoint/*',
            ],
          ],
        },
      ]),
    );
    expect(publish).toHaveLength(2);
  });

  it('lets only the producers send to the queue', () => {
    const producers = resourcesOf(template, 'AWS::Lambda::Function')
      .filter(([, resource]) =>
        statementsWith(statementsOfFunctionRole(template, resource), 'sqs:SendMessage').some((statement) =>
          JSON.stringify(statement.Resource).includes(queueId),
        ),
      )
      .map(([, resource]) => environmentOf(resource).POWERTOOLS_SERVICE_NAME);

    expect(producers.sort()).toEqual(['alarm-notifier', 'message-processor', 'weekly-summary']);
  });
});
