import { Duration, type RemovalPolicy, SecretValue, Validations } from 'aws-cdk-lib';
import { Schedule } from 'aws-cdk-lib/aws-events';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { SERVICE_NAMES } from '../definitions';
import { ApplicationFunction, type FunctionDefaults } from './application-function';
import type { FailedInvocations } from './failed-invocations';
import { scheduleFunction } from './scheduled-run';
import type { FinancyTables } from './tables';

/**
 * API key that `FxApiKeySecret` starts with. exchangerate-api rejects it with `invalid-key`, a configuration
 * error after which the refresh sets the provider aside until the key changes and uses the others. A secret
 * without `apiKey`, such as `{}`, is set aside the same way, with the error type `secret-format`.
 */
export const FX_API_KEY_PLACEHOLDER = 'REPLACE_ME';

/** Currencies that the refresh keeps rates for unless `-c fxCurrencies=...` names others. */
export const DEFAULT_FX_CURRENCIES = ['EUR', 'GBP', 'JPY', 'CAD', 'AUD', 'CHF', 'CNY', 'INR', 'BRL', 'MXN'];

/**
 * Time the refresh may run. Each provider call may take 12 s with its retry (lib/fx), so three providers in
 * turn take 36 s, and the last write and the logs need a few seconds more.
 */
const FX_REFRESH_TIMEOUT = Duration.seconds(60);

/** Properties of {@link FxRefresh}. */
export interface FxRefreshProps {
  /** Stack-wide function settings. */
  readonly functionDefaults: FunctionDefaults;
  /** Entry file of the refresh function, absolute or relative to the project root. */
  readonly entry: string;
  /** Tables of the stack, of which the function uses `fxRates` and `resilience`. */
  readonly tables: FinancyTables;
  /** Queue that receives the runs that failed for good. */
  readonly failures: FailedInvocations;
  /** Removal policy of the API key secret. */
  readonly secretRemovalPolicy: RemovalPolicy;
  /**
   * ISO 4217 code that every rate is quoted against (FX_BASE_CURRENCY).
   * @default 'USD'
   */
  readonly baseCurrency?: string;
  /**
   * ISO 4217 codes to keep rates for (FX_CURRENCIES).
   * @default DEFAULT_FX_CURRENCIES
   */
  readonly currencies?: readonly string[];
  /**
   * Seconds that the function caches the API key (SECRETS_CACHE_SECONDS).
   * @default 300
   */
  readonly secretsCacheSeconds?: number;
}

/**
 * The hourly exchange-rate refresh: the fx-refresh function, the rule that runs it at the start of every
 * hour, and the secret `FxApiKeySecret` that contains the exchangerate-api key as `{"apiKey": "..."}`.
 *
 * The secret starts with the placeholder key {@link FX_API_KEY_PLACEHOLDER}, so the refresh falls back to
 * the providers that need no key until the real key is set.
 * A failed run is retried twice, then its event goes to the failed-invocations queue. An event older than an
 * hour goes there too, because the next hourly run starts afresh.
 */
export class FxRefresh extends Construct {
  /** The refresh function. */
  readonly refreshFunction: NodejsFunction;
  /** Secret with the exchangerate-api key. */
  readonly apiKeySecret: Secret;
  /** ISO 4217 code that the rates are quoted against, for the functions that read them. */
  readonly baseCurrency: string;

  constructor(scope: Construct, id: string, props: FxRefreshProps) {
    super(scope, id);
    this.baseCurrency = props.baseCurrency ?? 'USD';
    const ratesTable = props.tables.tables.get('fxRates');
    const resilienceTable = props.tables.tables.get('resilience');
    if (ratesTable === undefined || resilienceTable === undefined) {
      throw new Error(
        'The FX refresh needs the fxRates and resilience tables, but FinancyTables did not create them.',
      );
    }

    // The template contains only the placeholder. CloudFormation writes the value when it creates the secret
    // and leaves the key put in later alone, as long as this placeholder stays the same.
    this.apiKeySecret = new Secret(this, 'ApiKeySecret', {
      description: 'Financy: exchangerate-api key as {"apiKey": "..."}',
      secretStringValue: SecretValue.unsafePlainText(JSON.stringify({ apiKey: FX_API_KEY_PLACEHOLDER })),
      removalPolicy: props.secretRemovalPolicy,
    });
    Validations.of(this.apiKeySecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The exchangerate-api key is issued in the provider dashboard and cannot be rotated by a Lambda function. ' +
        'docs/deploy.md describes replacing it by hand; the function reads a new value within SECRETS_CACHE_SECONDS.',
    });

    const refresh = new ApplicationFunction(this, 'Refresh', {
      defaults: props.functionDefaults,
      entry: props.entry,
      serviceName: SERVICE_NAMES.fxRefresh,
      description: 'Refreshes the exchange rates from the FX providers every hour',
      memorySize: 256,
      timeout: FX_REFRESH_TIMEOUT,
      environment: {
        FX_RATES_TABLE: ratesTable.tableName,
        RESILIENCE_TABLE: resilienceTable.tableName,
        FX_SECRET_ARN: this.apiKeySecret.secretArn,
        SECRETS_CACHE_SECONDS: String(props.secretsCacheSeconds ?? 300),
        FX_BASE_CURRENCY: this.baseCurrency,
        FX_CURRENCIES: (props.currencies ?? DEFAULT_FX_CURRENCIES).join(','),
      },
    });
    this.refreshFunction = refresh.lambdaFunction;
    ratesTable.grantReadWriteData(this.refreshFunction);
    resilienceTable.grantReadWriteData(this.refreshFunction);
    this.apiKeySecret.grantRead(this.refreshFunction);

    scheduleFunction(this, 'HourlyRule', this.refreshFunction, {
      schedule: Schedule.cron({ minute: '0' }),
      description: 'Runs the FX refresh at the start of every hour (UTC)',
      failures: props.failures,
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
    });
  }
}
