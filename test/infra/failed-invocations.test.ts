import { Match } from 'aws-cdk-lib/assertions';
import { findFunction, logicalIdOf, resourcesOf, synthesizeStack } from './stack-fixture';

const ASYNC_SERVICES = ['fx-refresh', 'weekly-summary', 'ses-feedback', 'alarm-notifier'];

describe('FailedInvocations', () => {
  const template = synthesizeStack('dev');
  const queueId = logicalIdOf(template, 'AWS::SQS::Queue', { QueueName: 'financy-dev-failed-invocations' });

  it('keeps failed events for 14 days, encrypted', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'financy-dev-failed-invocations',
      MessageRetentionPeriod: 14 * 86_400,
      SqsManagedSseEnabled: true,
    });
  });

  it.each(ASYNC_SERVICES)('receives the failed events of %s', (service) => {
    const [functionId] = findFunction(template, service);

    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: functionId },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
    });
  });

  it('lets only the two schedule rules send dead letters', () => {
    const ruleIds = resourcesOf(template, 'AWS::Events::Rule').map(([ruleId]) => ruleId);
    const allowedRules = resourcesOf(template, 'AWS::SQS::QueuePolicy')
      .filter(
        ([, policy]) => JSON.stringify(policy.Properties?.Queues) === JSON.stringify([{ Ref: queueId }]),
      )
      .flatMap(
        ([, policy]) =>
          (policy.Properties!.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
      )
      .filter((statement) => statement.Effect === 'Allow')
      .map((statement) => {
        expect(statement.Principal).toEqual({ Service: 'events.amazonaws.com' });
        expect(statement.Action).toBe('sqs:SendMessage');
        const condition = statement.Condition as {
          ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [string, string] } };
        };
        return condition.ArnEquals['aws:SourceArn']['Fn::GetAtt'][0];
      });

    expect(ruleIds).toHaveLength(2);
    expect(allowedRules.sort()).toEqual(ruleIds.sort());
  });

  it('alarms on one failed event', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Financy-dev-failed-invocations',
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: Match.anyValue() }],
    });
  });
});
