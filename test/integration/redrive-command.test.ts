import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { type LocalResources, provisionLocalResources } from '../../infra/local/provision';
import { createLocalSqsClient } from '../../infra/local/sqs-client';

const ROOT = path.resolve(__dirname, '..', '..');

function redrive(...args: string[]) {
  return redriveWithEnvironment(process.env, ...args);
}

/**
 * Returns the environment of a new user who has only the emulator endpoint: no AWS region, credentials,
 * profile or AWS config files. Instance metadata is switched off, so a missing credential falls through
 * to an error instead of a request to the metadata address.
 */
function endpointOnlyEnvironment(): NodeJS.ProcessEnv {
  const home = mkdtempSync(path.join(tmpdir(), 'financy-redrive-home-'));

  return {
    PATH: process.env.PATH,
    HOME: home,
    AWS_CONFIG_FILE: path.join(home, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_SQS: process.env.AWS_ENDPOINT_URL_SQS,
  };
}

function redriveWithEnvironment(env: NodeJS.ProcessEnv, ...args: string[]) {
  const result = spawnSync(
    path.join(ROOT, 'node_modules', '.bin', 'tsx'),
    ['scripts/dlq-redrive.ts', ...args],
    {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      env,
    },
  );
  const lastLine = result.stdout.trim().split('\n').at(-1) ?? '';

  return { status: result.status, lastLine, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run dlq:redrive', () => {
  let resources: LocalResources;

  beforeAll(async () => {
    const sqs = createLocalSqsClient();
    resources = await provisionLocalResources({ prefix: `redrive-${randomBytes(4).toString('hex')}`, sqs });
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: resources.deadLetterQueueUrl,
        MessageBody: '{"version":1}',
        MessageGroupId: '42',
        MessageDeduplicationId: 'dead-1',
      }),
    );
    sqs.destroy();
  });

  it('reports the count on a dry run', () => {
    const { status, lastLine } = redrive(
      '--dlq',
      resources.deadLetterQueueUrl,
      '--queue',
      resources.inboundQueueUrl,
      '--dry-run',
    );

    expect(status).toBe(0);
    expect(JSON.parse(lastLine)).toEqual({ waiting: 1, moved: 0 });
  });

  it('dry-runs with only a local endpoint set', () => {
    const environment = endpointOnlyEnvironment();
    const { status, lastLine, stderr } = redriveWithEnvironment(
      environment,
      '--dlq',
      resources.deadLetterQueueUrl,
      '--queue',
      resources.inboundQueueUrl,
      '--dry-run',
    );

    expect(environment.AWS_ENDPOINT_URL_SQS).toMatch(/^http:\/\/127\.0\.0\.1:/);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(JSON.parse(lastLine)).toEqual({ waiting: 1, moved: 0 });
  });

  it('moves the messages back', () => {
    const { status, lastLine } = redrive(
      '--dlq',
      resources.deadLetterQueueUrl,
      '--queue',
      resources.inboundQueueUrl,
    );

    expect(status).toBe(0);
    expect(JSON.parse(lastLine)).toEqual({ waiting: 1, moved: 1 });
  });

  it('rejects missing queue arguments', () => {
    const { status, stderr } = redrive('--dry-run');

    expect(status).toBe(2);
    expect(stderr).toContain('--dlq and --queue are required');
  });
});
