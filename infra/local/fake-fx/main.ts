/**
 * Runs the fake exchange-rate providers until SIGINT or SIGTERM.
 * Prints `{"url", "baseUrls", "apiKey"}` as one JSON line on stdout, then one JSON line per request on
 * stderr.
 * Usage: npx tsx infra/local/fake-fx/main.ts [--port 0] [--exchangerate-api SCENARIO]
 *   [--frankfurter SCENARIO] [--currency-api SCENARIO]
 */
import { parseArgs } from 'node:util';
import { startFakeFx } from './server';
import { FAKE_FX_SCENARIOS, type FakeFxProvider, type FakeFxScenario } from './types';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'exchangerate-api': { type: 'string', default: 'healthy' },
    frankfurter: { type: 'string', default: 'healthy' },
    'currency-api': { type: 'string', default: 'healthy' },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`--port ${values.port} is invalid; pass a TCP port from 0 to 65535 (0 picks a free one).`);
  process.exit(2);
}

const behaviours: Partial<Record<FakeFxProvider, FakeFxScenario>> = {};
for (const provider of ['exchangerate-api', 'frankfurter', 'currency-api'] as const) {
  const scenario = values[provider];
  if (!(FAKE_FX_SCENARIOS as readonly string[]).includes(scenario)) {
    console.error(`--${provider} ${scenario} is not a scenario; use one of ${FAKE_FX_SCENARIOS.join(', ')}.`);
    process.exit(2);
  }
  behaviours[provider] = scenario as FakeFxScenario;
}

const fake = await startFakeFx({ port, behaviours });
process.stdout.write(`${JSON.stringify({ url: fake.url, baseUrls: fake.baseUrls, apiKey: fake.apiKey })}\n`);

let logged = 0;
const logTimer = setInterval(() => {
  for (const request of fake.requests.slice(logged)) {
    process.stderr.write(`${JSON.stringify(request)}\n`);
  }
  logged = fake.requests.length;
}, 200);

const shutdown = (signal: string) => {
  clearInterval(logTimer);
  process.stderr.write(`Fake FX providers stopping on ${signal}\n`);
  fake.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('Fake FX providers failed to stop cleanly', error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
