import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { HANDLER_LOAD_ENVIRONMENT } from '../../bench/handler-environment';
import { FUNCTION_ENTRIES } from '../../infra/definitions';
import { ApplicationFunction } from '../../infra/stack/application-function';
import { PROJECT_ROOT } from './stack-fixture';

const outputDirectories: string[] = [];

/** Bundles one entry with esbuild, as `cdk synth` does, and returns the bundle's index.mjs path. */
function bundle(entry: string): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'financy-bundling-'));
  outputDirectories.push(outdir);
  const app = new App({ outdir });
  const stack = new Stack(app, 'BundlingTest');
  const application = new ApplicationFunction(stack, 'Subject', {
    defaults: {
      projectRoot: PROJECT_ROOT,
      logLevel: 'INFO',
      logRetention: RetentionDays.ONE_DAY,
      logRemovalPolicy: RemovalPolicy.DESTROY,
    },
    entry,
    serviceName: 'bundling-test',
    memorySize: 128,
    timeout: Duration.seconds(3),
  });
  const asset = application.lambdaFunction.node.findChild('Code') as Asset;

  return path.join(app.synth().directory, asset.assetPath, 'index.mjs');
}

describe('function bundles', () => {
  afterAll(() => {
    for (const directory of outputDirectories) {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it.each(Object.entries(FUNCTION_ENTRIES))('builds %s as a loadable ES module', (_name, entry) => {
    const output = bundle(entry);

    expect(fs.readFileSync(output, 'utf8')).toMatch(/^import \{ createRequire/);
    const exportedType = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(output)}); console.log(typeof m.handler);`,
      ],
      { env: { ...process.env, ...HANDLER_LOAD_ENVIRONMENT }, encoding: 'utf8' },
    );
    expect(exportedType.trim()).toBe('function');
  });
});
