/**
 * `npm run bench`: measures the webhook's overhead over a bare SQS send, and each function's bundle size
 * and cold import time against an empty Node process, in one run on this machine. Results and method are
 * recorded in docs/benchmarks.md.
 */
import { cpus } from 'node:os';
import { pointSdkAtEmulators, startEmulators } from '../infra/local/emulators';
import { benchBundles } from './bundles';
import { ms } from './stats';
import { benchWebhook } from './webhook';

const WEBHOOK_ITERATIONS = Number(process.env.BENCH_WEBHOOK_ITERATIONS ?? 500);
const PROCESS_RUNS = Number(process.env.BENCH_PROCESS_RUNS ?? 15);

const emulators = await startEmulators();
pointSdkAtEmulators(emulators.endpoints);

try {
  console.log(`Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}`);
  console.log('');
  console.log(
    `Webhook handler vs bare SendMessage (fauxqs on 127.0.0.1, ${WEBHOOK_ITERATIONS} alternating rounds after 20 warm-up rounds)`,
  );
  const webhook = await benchWebhook(WEBHOOK_ITERATIONS);
  console.log('| path | median | p95 | mean |');
  console.log('|---|---|---|---|');
  for (const [name, summary] of [
    ['webhook handler', webhook.handler],
    ['bare SendMessage', webhook.bareSend],
  ] as const) {
    console.log(`| ${name} | ${ms(summary.medianMs)} | ${ms(summary.p95Ms)} | ${ms(summary.meanMs)} |`);
  }
  console.log(
    `Ratio of medians (handler / bare send): ${(webhook.handler.medianMs / webhook.bareSend.medianMs).toFixed(2)}`,
  );
  console.log('');

  console.log(
    `Function bundles (esbuild, ESM, minified, AWS SDK bundled as the stack does; ${PROCESS_RUNS} fresh processes each)`,
  );
  const { empty, bundles } = await benchBundles(PROCESS_RUNS);
  console.log(`Empty Node process: median ${ms(empty.medianMs)}, p95 ${ms(empty.p95Ms)}`);
  console.log('| function | bundle | import median | import p95 | process median | process / empty |');
  console.log('|---|---|---|---|---|---|');
  for (const bundle of bundles) {
    console.log(
      `| ${bundle.name} | ${(bundle.bundleBytes / 1024).toFixed(1)} KiB | ${ms(bundle.importTime.medianMs)} | ${ms(bundle.importTime.p95Ms)} | ` +
        `${ms(bundle.processTime.medianMs)} | ${(bundle.processTime.medianMs / empty.medianMs).toFixed(2)} |`,
    );
  }
} finally {
  await emulators.stop();
}
