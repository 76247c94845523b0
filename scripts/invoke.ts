/**
 * `npm run invoke -- <function> [options]`: runs one function's handler on this machine, against DynamoDB
 * Local and fake third-party servers on 127.0.0.1 that the script starts and stops itself. It reuses
 * running emulators when AWS_ENDPOINT_URL_DYNAMODB and AWS_ENDPOINT_URL_SQS point at 127.0.0.1 or
 * localhost, as in the test run. Status lines go to stderr, the handler's logs and EMF metric lines to
 * stdout, and the last stdout line is the outcome as JSON. Exit code: 0 when the handler returned, 1 when it threw, 2 on a usage
 * error.
 *
 * To add a function, add an entry to FUNCTIONS that prepares its configuration and dependencies.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { createFxRefreshHandler, FX_REFRESH_SERVICE } from '../functions/fx-refresh/create-handler';
import { pointSdkAtEmulators, startEmulators } from '../infra/local/emulators';
import { startFakeFx } from '../infra/local/fake-fx/server';
import {
  FAKE_FX_PROVIDERS,
  FAKE_FX_SCENARIOS,
  type FakeFxProvider,
  type FakeFxScenario,
} from '../infra/local/fake-fx/types';
import { localLambdaContext } from '../infra/local/lambda-context';
import { provisionLocalResources } from '../infra/local/provision';
import { FX_PROVIDER_IDS, fxBaseUrlVariable, loadFxRefreshConfig } from '../lib/config';
import { DynamoFxRateStore } from '../lib/fx/rate-store';
import { PowertoolsMetricsSink } from '../lib/observability/powertools-metrics';
import { createDocumentClient } from '../lib/store/clients';

/** Things a run started, stopped in reverse order. */
class StartedResources {
  readonly #stops: { name: string; stop: () => Promise<void> }[] = [];

  add(name: string, stop: () => Promise<void>): void {
    this.#stops.push({ name, stop });
  }

  async stopAll(): Promise<void> {
    for (const { name, stop } of this.#stops.reverse()) {
      try {
        await stop();
        status(`stopped ${name}`);
      } catch (error) {
        status(`could not stop ${name}: ${describe(error)}`);
      }
    }
    this.#stops.length = 0;
  }
}

/** A function ready to invoke. */
interface PreparedFunction {
  invoke(event: unknown, context: Context): Promise<unknown>;
  /** Prints what the invocation left behind, such as stored rows. */
  report?(): Promise<void>;
}

/** One function that the script can run. */
interface LocalFunction {
  description: string;
  /** Sample event used without --event. */
  defaultEvent: string;
  /** Lambda timeout of the local invocation, in seconds. */
  timeoutSeconds: number;
  /** Help lines of the function's own options. */
  optionHelp: string[];
  prepare(resources: StartedResources, settings: string[]): Promise<PreparedFunction>;
}

const FX_CURRENCIES = 'EUR,GBP,BRL,JPY,ARS,PKR';

/** The default provider behaviours: the primary fails with quota-reached, the fallbacks are healthy. */
const DEFAULT_FX_BEHAVIOURS: Readonly<Record<FakeFxProvider, FakeFxScenario>> = {
  'exchangerate-api': 'quota-reached',
  frankfurter: 'healthy',
  'currency-api': 'healthy',
};

const FUNCTIONS: Readonly<Record<string, LocalFunction>> = {
  'fx-refresh': {
    description: 'the hourly exchange-rate refresh, against DynamoDB Local and the fake FX providers',
    defaultEvent: 'events/fx-refresh-scheduled.json',
    timeoutSeconds: 60,
    optionHelp: [
      '--set PROVIDER=SCENARIO  how a fake provider answers, repeatable (default: exchangerate-api=quota-reached,',
      '                         frankfurter=healthy, currency-api=healthy)',
      `                         providers: ${FAKE_FX_PROVIDERS.join(', ')}`,
      `                         scenarios: ${FAKE_FX_SCENARIOS.join(', ')}`,
    ],
    async prepare(resources, settings) {
      const behaviours = { ...DEFAULT_FX_BEHAVIOURS, ...parseFxSettings(settings) };
      const prefix = await prepareTables(resources);

      const fake = await startFakeFx({ behaviours });
      resources.add('the fake FX providers', () => fake.stop());
      for (const provider of FAKE_FX_PROVIDERS) {
        status(`fake ${provider} at ${fake.baseUrls[provider]} answers ${behaviours[provider]}`);
      }

      const environment: Record<string, string> = {
        FX_RATES_TABLE: `${prefix}-fxRates`,
        RESILIENCE_TABLE: `${prefix}-resilience`,
        FX_PROVIDERS: FX_PROVIDER_IDS.join(','),
        FX_BASE_CURRENCY: 'USD',
        FX_CURRENCIES,
        FX_EXCHANGERATE_API_KEY: fake.apiKey,
        FX_REQUEST_TIMEOUT_MS: '2000',
      };
      for (const provider of FX_PROVIDER_IDS) {
        environment[fxBaseUrlVariable(provider)] = fake.baseUrls[provider];
      }
      const config = loadFxRefreshConfig(environment);
      const handler = createFxRefreshHandler(config, {
        logger: new Logger({ serviceName: FX_REFRESH_SERVICE, logLevel: 'INFO' }),
        metrics: new PowertoolsMetricsSink({ serviceName: FX_REFRESH_SERVICE }),
      });

      return {
        invoke: (event, context) => handler(event as never, context),
        async report() {
          const store = new DynamoFxRateStore(createDocumentClient(), config.ratesTable);
          const latest = await store.getLatest(config.baseCurrency);
          if (latest === undefined) {
            status(`no ${config.baseCurrency} rates are stored`);
            return;
          }
          status(`stored ${config.baseCurrency} rates, version ${latest.version}:`);
          for (const [currency, rate] of Object.entries(latest.rates).sort(([a], [b]) =>
            a.localeCompare(b),
          )) {
            status(
              `  ${currency} ${rate.rate} from ${rate.provider} (provider time ${rate.providerUpdatedAt})`,
            );
          }
        },
      };
    },
  },
};

function status(line: string): void {
  process.stderr.write(`invoke: ${line}\n`);
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Raised for invalid command-line arguments; the script prints the usage and exits with 2. */
class UsageError extends Error {
  override readonly name = 'UsageError';
}

function parseFxSettings(settings: string[]): Partial<Record<FakeFxProvider, FakeFxScenario>> {
  const behaviours: Partial<Record<FakeFxProvider, FakeFxScenario>> = {};
  for (const setting of settings) {
    const [provider, scenario] = setting.split('=', 2);
    if (!FAKE_FX_PROVIDERS.includes(provider as FakeFxProvider)) {
      throw new UsageError(`--set ${setting}: unknown provider; use one of ${FAKE_FX_PROVIDERS.join(', ')}.`);
    }
    if (!FAKE_FX_SCENARIOS.includes(scenario as FakeFxScenario)) {
      throw new UsageError(`--set ${setting}: unknown scenario; use one of ${FAKE_FX_SCENARIOS.join(', ')}.`);
    }
    behaviours[provider as FakeFxProvider] = scenario as FakeFxScenario;
  }

  return behaviours;
}

function isLoopbackUrl(value: string): boolean {
  try {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(value).hostname);
  } catch {
    return false;
  }
}

/**
 * Makes DynamoDB Local and the SQS emulator available and creates the application's tables under a
 * fresh prefix, which it returns. Emulators that already run on this machine are reused; endpoints that
 * point elsewhere are rejected, so a local run never writes to a real account.
 */
async function prepareTables(resources: StartedResources): Promise<string> {
  const dynamodb = process.env.AWS_ENDPOINT_URL_DYNAMODB;
  const sqs = process.env.AWS_ENDPOINT_URL_SQS;
  for (const [name, value] of [
    ['AWS_ENDPOINT_URL_DYNAMODB', dynamodb],
    ['AWS_ENDPOINT_URL_SQS', sqs],
  ] as const) {
    if (value !== undefined && !isLoopbackUrl(value)) {
      throw new UsageError(
        `${name} is "${value}", not a URL on 127.0.0.1 or localhost; unset it to let the script start the emulators.`,
      );
    }
  }

  if (dynamodb !== undefined && sqs !== undefined) {
    pointSdkAtEmulators({ dynamodb, sqs });
    status(`using the running emulators: DynamoDB Local at ${dynamodb}, SQS at ${sqs}`);
  } else {
    status('starting DynamoDB Local and the SQS emulator');
    const emulators = await startEmulators();
    resources.add('DynamoDB Local and the SQS emulator', () => emulators.stop());
    pointSdkAtEmulators(emulators.endpoints);
    status(`DynamoDB Local at ${emulators.endpoints.dynamodb}, SQS at ${emulators.endpoints.sqs}`);
  }

  const prefix = `invoke-${randomBytes(4).toString('hex')}`;
  await provisionLocalResources({ prefix });
  status(`created the tables with prefix ${prefix}`);

  return prefix;
}

function usage(): string {
  const lines = ['Usage: npm run invoke -- <function> [--event FILE] [function options]', '', 'Functions:'];
  for (const [name, definition] of Object.entries(FUNCTIONS)) {
    lines.push(`  ${name}  ${definition.description}`, `    default event: ${definition.defaultEvent}`);
    lines.push(...definition.optionHelp.map((line) => `    ${line}`));
  }
  lines.push(
    '',
    '  --event FILE  event JSON to pass to the handler (default: the sample event of the function)',
  );

  return lines.join('\n');
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseInvokeArgs>;
  try {
    parsed = parseInvokeArgs();
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n${usage()}\n`);
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }

  const { name, definition, eventFile, settings } = parsed;
  const resources = new StartedResources();
  const stopOnSignal = (signal: NodeJS.Signals) => {
    status(`${signal} received, stopping`);
    void resources.stopAll().then(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);

  try {
    const event: unknown = JSON.parse(await readFile(eventFile, 'utf8'));
    const prepared = await definition.prepare(resources, settings);
    status(`invoking ${name} with ${eventFile}`);

    const startedAt = Date.now();
    let outcome: {
      function: string;
      outcome: 'succeeded' | 'failed';
      durationMs: number;
      result?: unknown;
      error?: unknown;
    };
    try {
      const result = await prepared.invoke(event, localLambdaContext(name, definition.timeoutSeconds));
      outcome = { function: name, outcome: 'succeeded', durationMs: Date.now() - startedAt, result };
      status(`${name} succeeded in ${outcome.durationMs} ms`);
    } catch (error) {
      outcome = {
        function: name,
        outcome: 'failed',
        durationMs: Date.now() - startedAt,
        error: { name: (error as Error).name, message: (error as Error).message },
      };
      status(`${name} failed in ${outcome.durationMs} ms: ${describe(error)}`);
    }

    await prepared.report?.();
    process.stdout.write(`${JSON.stringify(outcome)}\n`);

    return outcome.outcome === 'succeeded' ? 0 : 1;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n${usage()}\n`);
      return 2;
    }
    status(`could not run ${name}: ${describe(error)}`);
    return 1;
  } finally {
    await resources.stopAll();
  }
}

function parseInvokeArgs() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      event: { type: 'string' },
      set: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    return { help: true as const };
  }
  if (positionals.length !== 1) {
    throw new UsageError('name exactly one function.');
  }

  const name = positionals[0]!;
  const definition = FUNCTIONS[name];
  if (definition === undefined) {
    throw new UsageError(`unknown function "${name}"; use one of ${Object.keys(FUNCTIONS).join(', ')}.`);
  }

  return {
    help: false as const,
    name,
    definition,
    eventFile: values.event ?? definition.defaultEvent,
    settings: values.set ?? [],
  };
}

process.exitCode = await main();
