import { InvalidStageError, parseStage } from '../../infra/stack/stage';
import { synthesizeStack } from './stack-fixture';

describe('parseStage', () => {
  it('defaults to dev', () => {
    expect(parseStage(undefined)).toBe('dev');
  });

  it.each(['dev', 'prod'])('accepts %s', (stage) => {
    expect(parseStage(stage)).toBe(stage);
  });

  it('rejects an unknown stage', () => {
    expect(() => parseStage('staging')).toThrow(InvalidStageError);
    expect(() => parseStage('staging')).toThrow('-c stage=dev or -c stage=prod');
  });
});

describe('stage settings', () => {
  it('keeps prod logs longer than dev logs', () => {
    const dev = synthesizeStack('dev');
    const prod = synthesizeStack('prod');

    dev.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
    prod.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });

  it('names queues per stage', () => {
    const prod = synthesizeStack('prod');

    prod.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'financy-prod-inbound.fifo' });
  });
});
