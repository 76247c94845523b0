import { PROCESSOR_BATCH_SIZE, PROCESSOR_TIMEOUT_SECONDS } from '../../infra/definitions';
import {
  actionsOfFunctionRole,
  environmentOf,
  findFunction,
  statementsOfFunctionRole,
  synthesizeStack,
} from './stack-fixture';

describe('MessageProcessor', () => {
  const template = synthesizeStack('dev', { defaultCurrency: 'EUR', defaultTimeZone: 'Europe/Lisbon' });

  it('consumes the inbound queue with partial batch failures', () => {
    const [functionId] = findFunction(template, 'message-processor');
    const queues = template.findResources('AWS::SQS::Queue', {
      Properties: { QueueName: 'financy-dev-inbound.fifo' },
    });

    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionId },
      EventSourceArn: { 'Fn::GetAtt': [Object.keys(queues)[0], 'Arn'] },
      BatchSize: PROCESSOR_BATCH_SIZE,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('sizes the processor function', () => {
    const [, processor] = findFunction(template, 'message-processor');

    expect(processor.Properties).toMatchObject({ MemorySize: 512, Timeout: PROCESSOR_TIMEOUT_SECONDS });
  });

  it('passes table names and settings', () => {
    const [, processor] = findFunction(template, 'message-processor');
    const environment = environmentOf(processor);

    for (const [name, table] of [
      ['USERS_TABLE', 'UsersTable'],
      ['IDENTITIES_TABLE', 'IdentitiesTable'],
      ['TRANSACTIONS_TABLE', 'TransactionsTable'],
      ['IDEMPOTENCY_TABLE', 'IdempotencyTable'],
      ['RESILIENCE_TABLE', 'ResilienceTable'],
    ]) {
      expect(environment[name as string]).toEqual({ Ref: expect.stringContaining(table as string) });
    }
    expect(environment.TELEGRAM_SECRET_ARN).toEqual({ Ref: expect.stringContaining('TelegramBotSecret') });
    expect(environment.DEFAULT_CURRENCY).toBe('EUR');
    expect(environment.DEFAULT_TIME_ZONE).toBe('Europe/Lisbon');
  });

  it('grants table access, queue consumption and secret reads', () => {
    const [, processor] = findFunction(template, 'message-processor');
    const actions = actionsOfFunctionRole(template, processor);

    expect(actions).toEqual(
      expect.arrayContaining([
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
        'sqs:ReceiveMessage',
        'sqs:DeleteMessage',
        'secretsmanager:GetSecretValue',
      ]),
    );
  });

  it('reads the FX rates without writing them', () => {
    const [, processor] = findFunction(template, 'message-processor');
    const environment = environmentOf(processor);
    const ratesStatements = statementsOfFunctionRole(template, processor).filter((statement) =>
      JSON.stringify(statement.Resource).includes('FxRatesTable'),
    );

    expect(environment.FX_RATES_TABLE).toEqual({ Ref: expect.stringContaining('FxRatesTable') });
    expect(environment.FX_BASE_CURRENCY).toBe('USD');
    expect(ratesStatements.length).toBeGreaterThan(0);
    for (const statement of ratesStatements) {
      expect(statement.Action).not.toEqual(expect.arrayContaining(['dynamodb:PutItem']));
      expect(statement.Action).not.toEqual(expect.arrayContaining(['dynamodb:UpdateItem']));
    }
  });

  it('sends only to the notification queue and, for albums, to the inbound queue', () => {
    const [, processor] = findFunction(template, 'message-processor');
    const sendStatements = statementsOfFunctionRole(template, processor).filter((statement) =>
      [statement.Action].flat().includes('sqs:SendMessage'),
    );

    expect(environmentOf(processor).NOTIFICATION_QUEUE_URL).toEqual({
      Ref: expect.stringContaining('NotificationsQueue'),
    });
    expect(environmentOf(processor).INBOUND_QUEUE_URL).toEqual({
      Ref: expect.stringContaining('InboundQueue'),
    });
    expect(sendStatements.map((statement) => statement.Resource)).toEqual(
      expect.arrayContaining([
        { 'Fn::GetAtt': [expect.stringContaining('NotificationsQueue'), 'Arn'] },
        { 'Fn::GetAtt': [expect.stringContaining('InboundQueue'), 'Arn'] },
      ]),
    );
    expect(sendStatements).toHaveLength(2);
  });
});
