/**
 * `npm run bench`: measures each webhook's (Telegram, WhatsApp) overhead over a bare SQS send, and each function's bundle size
 * and cold import time against an empty Node process, in one run on this machine. Results and method are
 * recorded in docs/benchmarks.md.
 */
import { cpus } from 'node:os';
import { pointSdkAtEmulators, startEmulators } from '../infra/local/emulators';
import { printAiCostSection, printReceiptSection } from './ai-report';
import { benchBundles } from './bundles';
import { COST_ASSUMPTIONS, estimateCostPer1000, LIST_PRICES_USD } from './cost';
import { benchCallOverhead, benchProcessor } from './processor';
import { ms } from './stats';
import { type BenchChannel, benchWebhook, type WebhookBenchResult } from './webhook';

const WEBHOOK_ITERATIONS = Number(process.env.BENCH_WEBHOOK_ITERATIONS ?? 500);
const PROCESS_RUNS = Number(process.env.BENCH_PROCESS_RUNS ?? 15);
const PROCESSOR_MESSAGES = Number(process.env.BENCH_PROCESSOR_MESSAGES ?? 100);
const OVERHEAD_ITERATIONS = Number(process.env.BENCH_OVERHEAD_ITERATIONS ?? 200);
const RECEIPT_ROUNDS = Number(process.env.BENCH_RECEIPT_ROUNDS ?? 20);

const emulators = await startEmulators();
pointSdkAtEmulators(emulators.endpoints);

try {
  console.log(`Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}`);
  console.log('');
  const webhooks = {} as Record<BenchChannel, WebhookBenchResult>;
  for (const channel of ['telegram', 'whatsapp'] as const) {
    console.log(
      `${channel} webhook handler vs bare SendMessage of the same body (fauxqs on 127.0.0.1, ${WEBHOOK_ITERATIONS} alternating rounds after 20 warm-up rounds)`,
    );
    const result = await benchWebhook(WEBHOOK_ITERATIONS, channel);
    webhooks[channel] = result;
    console.log('| path | median | p95 | mean |');
    console.log('|---|---|---|---|');
    for (const [name, summary] of [
      [`${channel} webhook handler`, result.handler],
      ['bare SendMessage', result.bareSend],
    ] as const) {
      console.log(`| ${name} | ${ms(summary.medianMs)} | ${ms(summary.p95Ms)} | ${ms(summary.meanMs)} |`);
    }
    console.log(
      `Ratio of medians (${channel} handler / bare send): ${(result.handler.medianMs / result.bareSend.medianMs).toFixed(2)}`,
    );
    console.log('');
  }
  const webhook = webhooks.telegram;

  console.log(
    `Processor: a first and a second text message from each of ${PROCESSOR_MESSAGES} users, one record per invocation, after 5 warm-up messages`,
  );
  const processor = await benchProcessor(PROCESSOR_MESSAGES);
  const perMessage = processor.laterMessage;
  console.log('| DynamoDB requests per message | reads | writes |');
  console.log('|---|---|---|');
  for (const [label, counts] of [
    ['first message of a user', processor.firstMessage],
    ['later message', processor.laterMessage],
  ] as const) {
    console.log(
      `| ${label}: application tables | ${counts.applicationReads.toFixed(2)} | ${counts.applicationWrites.toFixed(2)} |`,
    );
    console.log(
      `| ${label}: resilience table | ${counts.resilienceReads.toFixed(2)} | ${counts.resilienceWrites.toFixed(2)} |`,
    );
  }
  console.log(
    `Processing time per message: median ${ms(processor.processingTime.medianMs)}, p95 ${ms(processor.processingTime.p95Ms)}`,
  );
  console.log('');

  console.log(
    `Outbound call overhead: sendMessage to the fake Bot API, ${OVERHEAD_ITERATIONS} alternating rounds after 20 warm-up rounds`,
  );
  const overhead = await benchCallOverhead(OVERHEAD_ITERATIONS);
  console.log('| path | median | p95 | mean |');
  console.log('|---|---|---|---|');
  console.log(
    `| client directly | ${ms(overhead.direct.medianMs)} | ${ms(overhead.direct.p95Ms)} | ${ms(overhead.direct.meanMs)} |`,
  );
  console.log(
    `| through breaker and buckets | ${ms(overhead.throughLayer.medianMs)} | ${ms(overhead.throughLayer.p95Ms)} | ${ms(overhead.throughLayer.meanMs)} |`,
  );
  console.log(
    `| through the layer, breaker cache off | ${ms(overhead.withoutBreakerCache.medianMs)} | ${ms(overhead.withoutBreakerCache.p95Ms)} | ${ms(overhead.withoutBreakerCache.meanMs)} |`,
  );
  console.log(
    `Ratio of medians (layer / direct): ${(overhead.throughLayer.medianMs / overhead.direct.medianMs).toFixed(2)}`,
  );
  console.log(
    `Ratio of medians (layer without breaker cache / direct): ${(overhead.withoutBreakerCache.medianMs / overhead.direct.medianMs).toFixed(2)}`,
  );
  console.log('');

  console.log(
    `Estimated AWS cost per 1,000 text messages (us-east-1 list prices as of ${LIST_PRICES_USD.asOf}; assumptions: ${JSON.stringify(COST_ASSUMPTIONS)})`,
  );
  const cost = estimateCostPer1000({
    dynamo: perMessage,
    webhookMs: webhook.handler.medianMs,
    processorMs: processor.processingTime.medianMs,
  });
  console.log('| item | USD per 1,000 messages |');
  console.log('|---|---|');
  for (const line of cost) {
    console.log(`| ${line.item} | ${line.usdPer1000.toFixed(5)} |`);
  }
  console.log(`| total | ${cost.reduce((sum, line) => sum + line.usdPer1000, 0).toFixed(5)} |`);
  console.log('');

  printAiCostSection();
  console.log('');
  printReceiptSection(RECEIPT_ROUNDS);
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
