import {
  environmentOf,
  findFunction,
  logicalIdOf,
  type PolicyStatementJson,
  statementsOfFunctionRole,
  synthesizeStack,
} from './stack-fixture';

function actionsOn(statements: PolicyStatementJson[], resourceFragment: string): string[] {
  return statements
    .filter((statement) => JSON.stringify(statement.Resource).includes(resourceFragment))
    .flatMap((statement) => [statement.Action].flat());
}

describe('WeeklySummary', () => {
  const template = synthesizeStack('dev', {
    weeklySummarySettingsUrl: 'https://financy.example.com/settings',
  });
  const [functionId, summary] = findFunction(template, 'weekly-summary');
  const statements = statementsOfFunctionRole(template, summary);

  it('runs every Monday at 12:00 UTC', () => {
    const failuresId = logicalIdOf(template, 'AWS::SQS::Queue', {
      QueueName: 'financy-dev-failed-invocations',
    });

    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0 12 ? * MON *)',
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [functionId, 'Arn'] },
          Id: 'Target0',
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [failuresId, 'Arn'] } },
          RetryPolicy: { MaximumEventAgeInSeconds: 6 * 3_600 },
        },
      ],
    });
  });

  it('passes its tables, the queue and the settings link', () => {
    expect(environmentOf(summary)).toMatchObject({
      USERS_TABLE: { Ref: expect.stringContaining('UsersTable') },
      TRANSACTIONS_TABLE: { Ref: expect.stringContaining('TransactionsTable') },
      IDEMPOTENCY_TABLE: { Ref: expect.stringContaining('IdempotencyTable') },
      NOTIFICATION_QUEUE_URL: { Ref: expect.stringContaining('NotificationsQueue') },
      WEEKLY_SUMMARY_SETTINGS_URL: 'https://financy.example.com/settings',
    });
  });

  it('runs for up to 15 minutes', () => {
    expect(summary.Properties?.Timeout).toBe(900);
  });

  it('reads users and transactions without writing them', () => {
    for (const table of ['UsersTable', 'TransactionsTable']) {
      const actions = actionsOn(statements, table);
      expect(actions).toContain('dynamodb:Scan');
      expect(actions).not.toContain('dynamodb:PutItem');
      expect(actions).not.toContain('dynamodb:UpdateItem');
    }
  });

  it('claims in the idempotency table and sends to the queue', () => {
    expect(actionsOn(statements, 'IdempotencyTable')).toEqual(
      expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem']),
    );
    expect(actionsOn(statements, 'NotificationsQueue')).toEqual([
      'sqs:SendMessage',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
    ]);
  });
});
