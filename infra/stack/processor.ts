import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { TableId } from '../../lib/store/tables';
import { PROCESSOR_BATCH_SIZE, PROCESSOR_TIMEOUT_SECONDS } from '../definitions';
import { ApplicationFunction, type FunctionDefaults } from './application-function';
import type { FinancyTables } from './tables';

/** Environment variable that carries each table's deployed name, as lib/config reads them. */
const TABLE_ENVIRONMENT: Record<TableId, string> = {
  users: 'USERS_TABLE',
  identities: 'IDENTITIES_TABLE',
  transactions: 'TRANSACTIONS_TABLE',
  idempotency: 'IDEMPOTENCY_TABLE',
  resilience: 'RESILIENCE_TABLE',
};

/** Properties of {@link MessageProcessor}. */
export interface MessageProcessorProps {
  /** Stack-wide function settings. */
  readonly functionDefaults: FunctionDefaults;
  /** Entry file of the processor function, absolute or relative to the project root. */
  readonly entry: string;
  /** Inbound FIFO queue that feeds the function. */
  readonly queue: IQueue;
  /** Tables the function reads and writes. */
  readonly tables: FinancyTables;
  /** Secret with `botToken` and `webhookSecret`. The function gets read access to it. */
  readonly secret: ISecret;
  /**
   * Seconds that the function caches the secret (SECRETS_CACHE_SECONDS).
   * @default 300
   */
  readonly secretsCacheSeconds?: number;
  /**
   * Bot API server (TELEGRAM_API_BASE_URL).
   * @default - unset, so the function uses https://api.telegram.org
   */
  readonly telegramApiBaseUrl?: string;
  /**
   * Hours that idempotency claims are kept (IDEMPOTENCY_RETENTION_HOURS).
   * @default - unset, so the function's own default of 168 hours applies
   */
  readonly idempotencyRetentionHours?: number;
  /**
   * ISO 4217 currency of new users (DEFAULT_CURRENCY).
   * @default - unset, so the function's own default of USD applies
   */
  readonly defaultCurrency?: string;
  /**
   * IANA time zone of new users (DEFAULT_TIME_ZONE).
   * @default - unset, so the function's own default of UTC applies
   */
  readonly defaultTimeZone?: string;
}

/**
 * The message processor: a function that consumes the inbound queue in batches, reports failed
 * records one by one so only those are retried, stores results in the tables and replies
 * through the Bot API.
 */
export class MessageProcessor extends Construct {
  /** The processor function. */
  readonly processorFunction: NodejsFunction;

  constructor(scope: Construct, id: string, props: MessageProcessorProps) {
    super(scope, id);

    const environment: Record<string, string> = {
      TELEGRAM_SECRET_ARN: props.secret.secretArn,
      SECRETS_CACHE_SECONDS: String(props.secretsCacheSeconds ?? 300),
    };
    for (const [tableId, table] of props.tables.tables) {
      environment[TABLE_ENVIRONMENT[tableId]] = table.tableName;
    }
    const optionalSettings: Record<string, string | number | undefined> = {
      TELEGRAM_API_BASE_URL: props.telegramApiBaseUrl,
      IDEMPOTENCY_RETENTION_HOURS: props.idempotencyRetentionHours,
      DEFAULT_CURRENCY: props.defaultCurrency,
      DEFAULT_TIME_ZONE: props.defaultTimeZone,
    };
    for (const [name, value] of Object.entries(optionalSettings)) {
      if (value !== undefined) {
        environment[name] = String(value);
      }
    }

    const processor = new ApplicationFunction(this, 'Processor', {
      defaults: props.functionDefaults,
      entry: props.entry,
      serviceName: 'message-processor',
      description: 'Processes inbound chat updates from the FIFO queue and replies',
      memorySize: 512,
      timeout: Duration.seconds(PROCESSOR_TIMEOUT_SECONDS),
      environment,
    });
    this.processorFunction = processor.lambdaFunction;

    this.processorFunction.addEventSource(
      new SqsEventSource(props.queue, {
        batchSize: PROCESSOR_BATCH_SIZE,
        reportBatchItemFailures: true,
      }),
    );
    for (const table of props.tables.tables.values()) {
      table.grantReadWriteData(this.processorFunction);
    }
    props.secret.grantRead(this.processorFunction);
  }
}
