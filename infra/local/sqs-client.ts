import { SQSClient } from '@aws-sdk/client-sqs';

/**
 * Creates an SQS client for the emulator. fauxqs returns queue URLs on `sqs.<region>.localhost`, a name
 * that not every resolver maps to 127.0.0.1, so requests go to `AWS_ENDPOINT_URL_SQS` instead of the
 * queue URL's host.
 */
export function createLocalSqsClient(): SQSClient {
  return new SQSClient({ useQueueUrlAsEndpoint: false });
}
