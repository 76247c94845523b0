import { SQSClient, type SQSClientConfig } from '@aws-sdk/client-sqs';
import { isLoopbackEndpoint, LOCAL_AWS_CREDENTIALS, LOCAL_AWS_REGION } from './local-aws';

/**
 * Creates an SQS client for the emulator. fauxqs returns queue URLs on `sqs.<region>.localhost`, a name
 * that not every resolver maps to 127.0.0.1, so requests go to `AWS_ENDPOINT_URL_SQS` instead of the
 * queue URL's host.
 */
export function createLocalSqsClient(): SQSClient {
  return new SQSClient({ useQueueUrlAsEndpoint: false });
}

/**
 * Returns the SQS client settings for a command-line tool that reads `AWS_ENDPOINT_URL_SQS`. With no
 * endpoint it returns no settings, so the SDK uses AWS and its usual region and credential chain. With an
 * endpoint, requests go to it instead of the queue URL's host. A loopback endpoint (the local emulator)
 * also gets the local stack's region, unless AWS_REGION is set, and its placeholder credentials.
 */
export function sqsClientConfigForEnvironment(environment: NodeJS.ProcessEnv = process.env): SQSClientConfig {
  const endpoint = environment.AWS_ENDPOINT_URL_SQS;
  if (endpoint === undefined) {
    return {};
  }
  if (!isLoopbackEndpoint(endpoint)) {
    return { useQueueUrlAsEndpoint: false };
  }

  return {
    useQueueUrlAsEndpoint: false,
    region: environment.AWS_REGION || LOCAL_AWS_REGION,
    credentials: LOCAL_AWS_CREDENTIALS,
  };
}
