import { Match } from 'aws-cdk-lib/assertions';
import { DEFAULT_FX_CURRENCIES, FX_API_KEY_PLACEHOLDER } from '../../infra/stack/fx-refresh';
import {
  BASELINE_FUNCTION_ACTIONS,
  environmentOf,
  findFunction,
  logicalIdOf,
  statementsOfFunctionRole,
  synthesizeStack,
} from './stack-fixture';

describe('FxRefresh', () => {
  const template = synthesizeStack('dev');
  const [functionId, refresh] = findFunction(template, 'fx-refresh');
  const failuresId = logicalIdOf(template, 'AWS::SQS::Queue', {
    QueueName: 'financy-dev-failed-invocations',
  });

  it('runs at the start of every hour', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0 * * * ? *)',
      State: 'ENABLED',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [functionId, 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [failuresId, 'Arn'] } },
          RetryPolicy: { MaximumEventAgeInSeconds: 3_600 },
        }),
      ],
    });
  });

  it('retries a failed run and keeps its event', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: functionId },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3_600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [failuresId, 'Arn'] } } },
    });
  });

  it('passes tables, secret and currencies', () => {
    const environment = environmentOf(refresh);

    expect(environment).toMatchObject({
      FX_RATES_TABLE: { Ref: expect.stringContaining('FxRatesTable') },
      RESILIENCE_TABLE: { Ref: expect.stringContaining('ResilienceTable') },
      FX_SECRET_ARN: { Ref: expect.stringContaining('ApiKeySecret') },
      FX_BASE_CURRENCY: 'USD',
      FX_CURRENCIES: DEFAULT_FX_CURRENCIES.join(','),
    });
    // FX_PROVIDERS is left to the function's default: every provider, exchangerate-api first.
    expect(environment.FX_PROVIDERS).toBeUndefined();
  });

  it('uses the currencies of the stack props', () => {
    const custom = synthesizeStack('dev', { fxBaseCurrency: 'EUR', fxCurrencies: ['USD', 'BRL'] });
    const [, customRefresh] = findFunction(custom, 'fx-refresh');
    const [, processor] = findFunction(custom, 'message-processor');

    expect(environmentOf(customRefresh)).toMatchObject({ FX_BASE_CURRENCY: 'EUR', FX_CURRENCIES: 'USD,BRL' });
    expect(environmentOf(processor).FX_BASE_CURRENCY).toBe('EUR');
  });

  it('creates the API key secret with a placeholder only', () => {
    const secretId = logicalIdOf(template, 'AWS::SecretsManager::Secret', {
      Description: Match.stringLikeRegexp('exchangerate-api'),
    });

    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Description: Match.stringLikeRegexp('exchangerate-api'),
      SecretString: JSON.stringify({ apiKey: FX_API_KEY_PLACEHOLDER }),
    });
    expect(environmentOf(refresh).FX_SECRET_ARN).toEqual({ Ref: secretId });
  });

  it('sizes the function for three providers in turn', () => {
    expect(refresh.Properties?.Timeout).toBe(60);
  });

  it('grants only its tables, secret and failures queue', () => {
    const statements = statementsOfFunctionRole(template, refresh);
    const resources = statements
      .filter(
        (statement) =>
          ![statement.Action].flat().some((action) => BASELINE_FUNCTION_ACTIONS.includes(action)),
      )
      .map((statement) => JSON.stringify(statement.Resource));

    for (const resource of resources) {
      expect(resource).toMatch(/FxRatesTable|ResilienceTable|ApiKeySecret|FailedInvocationsQueue/);
    }
    expect(resources.some((resource) => resource.includes('FxRatesTable'))).toBe(true);
    expect(resources.some((resource) => resource.includes('ApiKeySecret'))).toBe(true);
  });
});
