import {
  BASELINE_FUNCTION_ACTIONS,
  environmentOf,
  findFunction,
  logicalIdOf,
  statementsOfFunctionRole,
  synthesizeStack,
} from './stack-fixture';

describe('AlarmNotifier', () => {
  const template = synthesizeStack('prod');
  const [functionId, notifier] = findFunction(template, 'alarm-notifier');
  const alarmTopicId = logicalIdOf(template, 'AWS::SNS::Topic', { DisplayName: 'Financy prod alarms' });

  it('subscribes to the alarm topic', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: { Ref: alarmTopicId },
      Endpoint: { 'Fn::GetAtt': [functionId, 'Arn'] },
    });
  });

  it('passes the queue, the stage and the FX refresh function', () => {
    const [fxRefreshId] = findFunction(template, 'fx-refresh');

    expect(environmentOf(notifier)).toMatchObject({
      NOTIFICATION_QUEUE_URL: { Ref: expect.stringContaining('NotificationsQueue') },
      STAGE: 'prod',
      FX_REFRESH_FUNCTION_NAMES: { Ref: fxRefreshId },
    });
  });

  it('may only send to the notification and failures queues', () => {
    const statements = statementsOfFunctionRole(template, notifier).filter(
      (statement) => ![statement.Action].flat().some((action) => BASELINE_FUNCTION_ACTIONS.includes(action)),
    );

    expect(statements.map((statement) => JSON.stringify(statement.Resource))).toEqual([
      expect.stringContaining('NotificationsQueue'),
      expect.stringContaining('FailedInvocationsQueue'),
    ]);
    for (const statement of statements) {
      expect(statement.Action).toEqual(['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl']);
    }
  });
});
