import {
  BASELINE_FUNCTION_ACTIONS,
  environmentOf,
  findFunction,
  logicalIdOf,
  statementsOfFunctionRole,
  synthesizeStack,
} from './stack-fixture';

describe('SesFeedback', () => {
  const template = synthesizeStack('dev');
  const [functionId, feedback] = findFunction(template, 'ses-feedback');
  const topicId = logicalIdOf(template, 'AWS::SNS::Topic', { TopicName: 'Financy-dev-ses-feedback' });

  it('subscribes to the feedback topic', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: { Ref: topicId },
      Endpoint: { 'Fn::GetAtt': [functionId, 'Arn'] },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'sns.amazonaws.com',
      SourceArn: { Ref: topicId },
      FunctionName: { 'Fn::GetAtt': [functionId, 'Arn'] },
    });
  });

  it('writes only the suppressions table', () => {
    const resources = statementsOfFunctionRole(template, feedback)
      .filter(
        (statement) =>
          ![statement.Action].flat().some((action) => BASELINE_FUNCTION_ACTIONS.includes(action)),
      )
      .map((statement) => JSON.stringify(statement.Resource));

    expect(environmentOf(feedback).SUPPRESSIONS_TABLE).toEqual({
      Ref: expect.stringContaining('SuppressionsTable'),
    });
    expect(resources.length).toBeGreaterThan(0);
    for (const resource of resources) {
      expect(resource).toMatch(/SuppressionsTable|FailedInvocationsQueue/);
    }
  });
});
