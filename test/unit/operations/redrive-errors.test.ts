import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { QueueMismatchError, redriveDeadLetters, withFullStop } from '../../../lib/operations/redrive';

const LOCAL_CONFIG = {
  region: 'us-east-1',
  endpoint: 'http://127.0.0.1:1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
};

describe('redrive queue read errors', () => {
  it('ends the SDK message before the hint', async () => {
    const sqs = new SQSClient(LOCAL_CONFIG);
    const mock = mockClient(sqs);
    mock.on(GetQueueAttributesCommand).rejects(new Error('Region is missing'));

    const run = redriveDeadLetters({
      sqs,
      deadLetterQueueUrl: 'http://127.0.0.1:1/000000000000/dlq.fifo',
      targetQueueUrl: 'http://127.0.0.1:1/000000000000/inbound.fifo',
      dryRun: true,
      maxMessages: 1,
      log: () => undefined,
    });

    await expect(run).rejects.toThrow(QueueMismatchError);
    await expect(run).rejects.toThrow('Region is missing. Check the URL and the region or endpoint.');
    mock.restore();
  });
});

describe('withFullStop', () => {
  it.each([
    ['Region is missing', 'Region is missing.'],
    ['Region is missing. ', 'Region is missing.'],
    ['Could not load credentials from any providers', 'Could not load credentials from any providers.'],
    ['Queue does not exist!', 'Queue does not exist!'],
    ['Why?', 'Why?'],
  ])('turns %j into %j', (input, expected) => {
    expect(withFullStop(input)).toBe(expected);
  });
});
