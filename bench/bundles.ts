import { spawnSync } from 'node:child_process';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { FUNCTION_ENTRIES } from '../infra/definitions';
import { ESM_REQUIRE_BANNER } from '../infra/stack/application-function';
import { HANDLER_LOAD_ENVIRONMENT } from './handler-environment';
import { summarize, type TimingSummary } from './stats';

/** Size and cold start of one function bundle. */
export interface BundleBenchResult {
  name: string;
  bundleBytes: number;
  /** Time of `await import(bundle)` inside a fresh process. */
  importTime: TimingSummary;
  /** Wall time of a fresh process that imports the bundle and exits. */
  processTime: TimingSummary;
}

function timeProcess(script: string, runs: number): { process: number[]; import: number[] } {
  const processSamples: number[] = [];
  const importSamples: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, ...HANDLER_LOAD_ENVIRONMENT },
      encoding: 'utf8',
    });
    processSamples.push(performance.now() - started);
    if (child.status !== 0) {
      throw new Error(`Benchmark child failed with ${child.status}: ${child.stderr}`);
    }
    const importMs = Number(child.stdout.trim());
    if (Number.isFinite(importMs) && child.stdout.trim() !== '') {
      importSamples.push(importMs);
    }
  }

  return { process: processSamples, import: importSamples };
}

/**
 * Bundles each function as the CDK stack does (esbuild, ESM, minified, AWS SDK bundled),
 * then measures bundle size and cold import time against an empty Node process.
 */
export async function benchBundles(
  runs: number,
): Promise<{ empty: TimingSummary; bundles: BundleBenchResult[] }> {
  const outputDirectory = path.resolve('.local', 'bench-bundles');
  await mkdir(outputDirectory, { recursive: true });
  const empty = summarize(timeProcess('', runs).process);
  const bundles: BundleBenchResult[] = [];

  for (const [name, entry] of Object.entries(FUNCTION_ENTRIES)) {
    const outfile = path.join(outputDirectory, `${name}.mjs`);
    await build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'esm',
      minify: true,
      mainFields: ['module', 'main'],
      banner: { js: ESM_REQUIRE_BANNER },
      logLevel: 'silent',
    });
    const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(outfile).href)}); console.log(performance.now() - t);`;
    const timings = timeProcess(script, runs);
    bundles.push({
      name,
      bundleBytes: (await stat(outfile)).size,
      importTime: summarize(timings.import),
      processTime: summarize(timings.process),
    });
  }

  return { empty, bundles };
}
