import { isLoopbackEndpoint, LOCAL_AWS_CREDENTIALS } from '../../../infra/local/local-aws';
import { sqsClientConfigForEnvironment } from '../../../infra/local/sqs-client';

describe('isLoopbackEndpoint', () => {
  it.each([
    ['http://127.0.0.1:4566', true],
    ['http://127.1.2.3:4566', true],
    ['http://localhost:4566', true],
    ['http://sqs.us-east-1.localhost:4566', true],
    ['http://[::1]:4566', true],
    ['https://sqs.us-east-1.amazonaws.com', false],
    ['http://10.0.0.5:4566', false],
    ['http://localhost.example.com', false],
    ['not a url', false],
  ])('%s is %s', (endpoint, expected) => {
    expect(isLoopbackEndpoint(endpoint)).toBe(expected);
  });
});

describe('sqsClientConfigForEnvironment', () => {
  it('leaves AWS settings alone without an endpoint', () => {
    expect(sqsClientConfigForEnvironment({})).toEqual({});
  });

  it('keeps region and credentials for a remote endpoint', () => {
    const config = sqsClientConfigForEnvironment({
      AWS_ENDPOINT_URL_SQS: 'https://sqs.eu-west-1.amazonaws.com',
    });

    expect(config).toEqual({ useQueueUrlAsEndpoint: false });
  });

  it('defaults region and credentials locally', () => {
    const config = sqsClientConfigForEnvironment({ AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:4566' });

    expect(config.useQueueUrlAsEndpoint).toBe(false);
    expect(config.region).toBe('us-east-1');
    expect(config.credentials).toBe(LOCAL_AWS_CREDENTIALS);
  });

  it('keeps a set AWS_REGION locally', () => {
    const config = sqsClientConfigForEnvironment({
      AWS_ENDPOINT_URL_SQS: 'http://localhost:4566',
      AWS_REGION: 'eu-west-1',
    });

    expect(config.region).toBe('eu-west-1');
  });
});
