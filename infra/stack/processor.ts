import { type CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { TableId } from '../../lib/store/tables';
import {
  PROCESSOR_BATCH_SIZE,
  PROCESSOR_TIMEOUT_SECONDS,
  SERVICE_NAMES,
  WHATSAPP_MAX_MEDIA_BYTES,
} from '../definitions';
import { ApplicationFunction, type FunctionDefaults } from './application-function';
import { defaultPolicyOf } from './lambda-hardening';
import type { FinancyTables } from './tables';
import type { WhatsAppOptions } from './whatsapp-options';

/**
 * Tables that the processor reads and writes, each with the environment variable that carries its deployed
 * name, as lib/config reads them. The processor gets access to these tables only, not to every table of
 * the stack.
 */
const PROCESSOR_TABLES: ReadonlyMap<TableId, string> = new Map([
  ['users', 'USERS_TABLE'],
  ['identities', 'IDENTITIES_TABLE'],
  ['transactions', 'TRANSACTIONS_TABLE'],
  ['idempotency', 'IDEMPOTENCY_TABLE'],
  ['resilience', 'RESILIENCE_TABLE'],
]);

/** WhatsApp resources and settings that the processor needs to receive and send WhatsApp messages. */
export interface ProcessorWhatsAppProps {
  /** Secret with the WhatsApp credentials (WHATSAPP_SECRET_ARN). The function gets read access to it. */
  readonly secret: ISecret;
  /** Table of the WhatsApp state (WHATSAPP_STATE_TABLE). The function reads and writes it. */
  readonly stateTable: ITableV2;
  /** Reply template, its language and the Graph API version, each set explicitly. */
  readonly options: Required<WhatsAppOptions>;
  /**
   * Graph API origin (WHATSAPP_API_BASE_URL).
   * @default - unset, so the function uses https://graph.facebook.com
   */
  readonly apiBaseUrl?: string;
  /**
   * Largest media file in bytes that the processor downloads (WHATSAPP_MAX_MEDIA_BYTES).
   * @default WHATSAPP_MAX_MEDIA_BYTES from infra/definitions, 16 MiB
   */
  readonly maxMediaBytes?: number;
}

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
   * Highest number of function instances that the queue's event source invokes at once. For a FIFO queue
   * Lambda also runs at most one batch per message group (chat) at a time.
   * @default 2, the lowest value Lambda accepts
   */
  readonly maxConcurrency?: number;
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
  /**
   * Exchange rates that the processor converts other currencies with: the rate table, which it may only
   * read (FX_RATES_TABLE), and the currency that the rates are quoted against (FX_BASE_CURRENCY).
   * @default - none, so /balance and /stats list other currencies apart
   */
  readonly fxRates?: { readonly table: ITableV2; readonly baseCurrency: string };
  /**
   * Queue that e-mail confirmation codes go to (NOTIFICATION_QUEUE_URL). The processor may only send to it.
   * @default - none, so /settings replies that e-mail is not available
   */
  readonly notificationQueue?: IQueue;
  /**
   * The WhatsApp channel's secret, state table and settings (the WHATSAPP_* variables).
   * @default - none, so the processor has no WHATSAPP_* variable and handles no WhatsApp message
   */
  readonly whatsApp?: ProcessorWhatsAppProps;
}

/**
 * The message processor: a function that consumes the inbound queue in batches, reports failed
 * records one by one so only those are retried, stores results in the tables and replies
 * through the Telegram Bot API or the WhatsApp Graph API.
 */
export class MessageProcessor extends Construct {
  /** The processor function. */
  readonly processorFunction: NodejsFunction;

  constructor(scope: Construct, id: string, props: MessageProcessorProps) {
    super(scope, id);

    const environment: Record<string, string> = {
      // The processor queues the reading of an album of receipt photos on its own queue.
      INBOUND_QUEUE_URL: props.queue.queueUrl,
      TELEGRAM_SECRET_ARN: props.secret.secretArn,
      SECRETS_CACHE_SECONDS: String(props.secretsCacheSeconds ?? 300),
    };
    const tableIds = [...PROCESSOR_TABLES.keys()];
    const tables = [...PROCESSOR_TABLES].map(([tableId, variable]) => {
      const table = props.tables.tables.get(tableId);
      if (table === undefined) {
        throw new Error(`The processor needs the ${tableId} table, but FinancyTables did not create it.`);
      }
      environment[variable] = table.tableName;
      return table;
    });
    const optionalSettings: Record<string, string | number | undefined> = {
      TELEGRAM_API_BASE_URL: props.telegramApiBaseUrl,
      IDEMPOTENCY_RETENTION_HOURS: props.idempotencyRetentionHours,
      DEFAULT_CURRENCY: props.defaultCurrency,
      DEFAULT_TIME_ZONE: props.defaultTimeZone,
      FX_RATES_TABLE: props.fxRates?.table.tableName,
      FX_BASE_CURRENCY: props.fxRates?.baseCurrency,
      NOTIFICATION_QUEUE_URL: props.notificationQueue?.queueUrl,
      WHATSAPP_SECRET_ARN: props.whatsApp?.secret.secretArn,
      WHATSAPP_STATE_TABLE: props.whatsApp?.stateTable.tableName,
      WHATSAPP_API_VERSION: props.whatsApp?.options.apiVersion,
      WHATSAPP_REPLY_TEMPLATE: props.whatsApp?.options.replyTemplate,
      WHATSAPP_TEMPLATE_LANGUAGE: props.whatsApp?.options.templateLanguage,
      WHATSAPP_API_BASE_URL: props.whatsApp?.apiBaseUrl,
      WHATSAPP_MAX_MEDIA_BYTES: props.whatsApp && (props.whatsApp.maxMediaBytes ?? WHATSAPP_MAX_MEDIA_BYTES),
    };
    for (const [name, value] of Object.entries(optionalSettings)) {
      if (value !== undefined) {
        environment[name] = String(value);
      }
    }

    const processor = new ApplicationFunction(this, 'Processor', {
      defaults: props.functionDefaults,
      entry: props.entry,
      serviceName: SERVICE_NAMES.messageProcessor,
      description: 'Processes inbound chat updates from the FIFO queue and replies',
      memorySize: 512,
      timeout: Duration.seconds(PROCESSOR_TIMEOUT_SECONDS),
      environment,
    });
    this.processorFunction = processor.lambdaFunction;

    // maxConcurrency, not reserved concurrency, caps the processor. The SQS poller does not know a
    // function's reserved concurrency (AWS re:Post knowledge center, "lambda-sqs-scaling"): it receives
    // batches that a throttled function cannot take, each receive counts toward maxReceiveCount, and a burst
    // could push healthy records into the dead-letter queue.
    this.processorFunction.addEventSource(
      new SqsEventSource(props.queue, {
        batchSize: PROCESSOR_BATCH_SIZE,
        reportBatchItemFailures: true,
        maxConcurrency: props.maxConcurrency ?? 2,
      }),
    );
    for (const table of tables) {
      table.grantReadWriteData(this.processorFunction);
    }
    props.queue.grantSendMessages(this.processorFunction);
    props.secret.grantRead(this.processorFunction);
    props.fxRates?.table.grantReadData(this.processorFunction);
    props.notificationQueue?.grantSendMessages(this.processorFunction);
    props.whatsApp?.secret.grantRead(this.processorFunction);
    props.whatsApp?.stateTable.grantReadWriteData(this.processorFunction);

    for (const tableId of tableIds.filter((id) => props.tables.tablesWithIndexes.has(id))) {
      const table = props.tables.tables.get(tableId)!;
      const tableLogicalId = Stack.of(this).getLogicalId(table.node.defaultChild as CfnElement);
      Validations.of(defaultPolicyOf(processor.role)).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${tableLogicalId}.Arn>/index/*]`,
        reason:
          `grantReadWriteData grants access to the ${tableId} table's global secondary indexes as ` +
          '`<table ARN>/index/*`. The processor queries those indexes, and the table has only the ones ' +
          'defined in lib/store/tables.ts, so the wildcard reaches no other table.',
      });
    }
  }
}
