import { spawn } from 'node:child_process';
import { createConnection } from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runInvoke(args: string[], environment: NodeJS.ProcessEnv = process.env): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, ['scripts/invoke.ts', ...args], { cwd: ROOT, env: environment });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function outcomeOf(run: ScriptRun): Record<string, unknown> {
  const lines = run.stdout.trim().split('\n');

  return JSON.parse(lines.at(-1) ?? '{}') as Record<string, unknown>;
}

function portAcceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('npm run invoke fx-refresh', () => {
  it('refreshes from the healthy fallbacks when the primary fails', async () => {
    const run = await runInvoke(['fx-refresh']);
    const outcome = outcomeOf(run);

    expect(run.code).toBe(0);
    expect(outcome).toMatchObject({
      function: 'fx-refresh',
      outcome: 'succeeded',
      result: { status: 'complete' },
    });
    expect(run.stderr).toContain('invoke: fake exchangerate-api at http://127.0.0.1:');
    expect(run.stderr).toContain('answers quota-reached');
    expect(run.stderr).toMatch(/invoke: {3}EUR 0\.92 from frankfurter/);
    expect(run.stderr).toMatch(/invoke: {3}ARS 899\.5 from currency-api/);
    expect(run.stderr).toContain('invoke: stopped the fake FX providers');
  });

  it('exits with 1 and the error when no provider answers usably', async () => {
    const run = await runInvoke([
      'fx-refresh',
      '--set',
      'exchangerate-api=invalid-key',
      '--set',
      'frankfurter=html-503',
      '--set',
      'currency-api=empty-rates',
    ]);
    const outcome = outcomeOf(run);

    expect(run.code).toBe(1);
    expect(outcome).toMatchObject({ outcome: 'failed', error: { name: 'FxRefreshFailedError' } });
    expect(run.stderr).toContain('invoke: no USD rates are stored');
  });

  it('rejects an unknown function with the usage', async () => {
    const run = await runInvoke(['fx-refreshh']);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error: unknown function "fx-refreshh"; use one of fx-refresh.');
    expect(run.stderr).toContain('Usage: npm run invoke -- <function>');
  });

  it('rejects an unknown provider scenario', async () => {
    const run = await runInvoke(['fx-refresh', '--set', 'frankfurter=down']);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--set frankfurter=down: unknown scenario');
  });

  it('refuses an emulator endpoint that is not on this machine', async () => {
    // A value without a host: the script must reject it before any request, like any non-loopback URL.
    const run = await runInvoke(['fx-refresh'], { ...process.env, AWS_ENDPOINT_URL_DYNAMODB: 'not-a-url' });

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'AWS_ENDPOINT_URL_DYNAMODB is "not-a-url", not a URL on 127.0.0.1 or localhost',
    );
  });

  it('starts and stops its own DynamoDB Local when none runs', async () => {
    const environment = { ...process.env };
    delete environment.AWS_ENDPOINT_URL_DYNAMODB;
    delete environment.AWS_ENDPOINT_URL_SQS;

    const run = await runInvoke(['fx-refresh'], environment);
    const port = Number(/DynamoDB Local at http:\/\/127\.0\.0\.1:(\d+)/.exec(run.stderr)?.[1]);

    expect(run.code).toBe(0);
    expect(run.stderr).toContain('invoke: starting DynamoDB Local and the SQS emulator');
    expect(run.stderr).toContain('invoke: stopped DynamoDB Local and the SQS emulator');
    expect(Number.isInteger(port)).toBe(true);
    expect(await portAcceptsConnections(port)).toBe(false);
  }, 90_000);
});
