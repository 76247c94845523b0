/**
 * `npm run dlq:redrive -- --dlq URL --queue URL [--dry-run] [--max N]`: moves messages from a dead-letter
 * queue back to its source queue. It talks to AWS with the usual credentials, or to the local emulator
 * when AWS_ENDPOINT_URL_SQS is set (npm start prints both queue URLs and the emulator endpoint). An endpoint
 * on 127.0.0.1 or localhost needs no AWS_REGION or credentials: the script uses the local stack's.
 */
import { parseArgs } from 'node:util';
import { SQSClient } from '@aws-sdk/client-sqs';
import { sqsClientConfigForEnvironment } from '../infra/local/sqs-client';
import { redriveDeadLetters } from '../lib/operations/redrive';

const USAGE = `Usage: npm run dlq:redrive -- --dlq DLQ_URL --queue QUEUE_URL [--dry-run] [--max N]
  --dlq URL    dead-letter queue to empty (the stack output InboundDeadLetterQueueUrl)
  --queue URL  queue to move the messages back to (the inbound queue)
  --dry-run    print how many messages would move, and move none
  --max N      move at most N messages (default 1000)
Set AWS_ENDPOINT_URL_SQS to use the local emulator instead of AWS. A local endpoint (127.0.0.1 or
localhost) needs no AWS_REGION or credentials.`;

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n${USAGE}\n`);
  process.exit(2);
}

let values: { dlq?: string; queue?: string; 'dry-run'?: boolean; max?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      dlq: { type: 'string' },
      queue: { type: 'string' },
      'dry-run': { type: 'boolean' },
      max: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (error) {
  fail((error as Error).message);
}

if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (values.dlq === undefined || values.queue === undefined) {
  fail('both --dlq and --queue are required.');
}
const maxMessages = Number(values.max ?? 1000);
if (!Number.isInteger(maxMessages) || maxMessages < 1) {
  fail(`--max must be a positive whole number, got "${values.max}".`);
}

// On the emulator, queue URLs carry a host name that may not resolve, so requests go to the endpoint.
const sqs = new SQSClient(sqsClientConfigForEnvironment());
try {
  const result = await redriveDeadLetters({
    sqs,
    deadLetterQueueUrl: values.dlq,
    targetQueueUrl: values.queue,
    dryRun: values['dry-run'] === true,
    maxMessages,
    log: (line) => process.stdout.write(`${line}\n`),
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
} catch (error) {
  process.stderr.write(`error: redrive failed: ${(error as Error).name}: ${(error as Error).message}\n`);
  process.exit(1);
} finally {
  sqs.destroy();
}
