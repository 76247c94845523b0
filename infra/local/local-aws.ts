import ipaddr from 'ipaddr.js';

/** AWS region of the local stack. The emulators accept any region, and this one matches the stack's ARNs. */
export const LOCAL_AWS_REGION = 'us-east-1';

/** Placeholder credentials that DynamoDB Local and fauxqs accept. They belong to no AWS account. */
export const LOCAL_AWS_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** Returns whether `endpoint` is a URL on this machine: `localhost`, a `*.localhost` name or a loopback address. */
export function isLoopbackEndpoint(endpoint: string): boolean {
  let hostname: string;
  try {
    hostname = new URL(endpoint).hostname.replace(/^\[(.*)\]$/, '$1');
  } catch {
    return false;
  }
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) {
    return true;
  }

  return ipaddr.isValid(hostname) && ipaddr.process(hostname).range() === 'loopback';
}

/**
 * The AWS SDK's endpoint variable for Amazon Transcribe, which `loadVoiceConfig` reads. Set it to the URL of
 * the fake in infra/local/fake-transcribe to run TRANSCRIBER=transcribe locally.
 */
export const TRANSCRIBE_ENDPOINT_VARIABLE = 'AWS_ENDPOINT_URL_TRANSCRIBE';
