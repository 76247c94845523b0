import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

/** Deployment stages. Each stage is its own stack, `Financy-<stage>`. */
export const STAGES = ['dev', 'prod'] as const;

/** A deployment stage. */
export type Stage = (typeof STAGES)[number];

/** Raised when `-c stage=...` names a stage that does not exist. */
export class InvalidStageError extends Error {
  override readonly name = 'InvalidStageError';

  constructor(readonly value: unknown) {
    super(
      `Stage ${JSON.stringify(value)} is invalid: expected one of ${STAGES.join(', ')}. Pass -c stage=dev or -c stage=prod.`,
    );
  }
}

/** Settings that differ between stages. */
export interface StageSettings {
  /** Removal policy of the tables, the bot secret and the log groups. */
  removalPolicy: RemovalPolicy;
  /** Whether DynamoDB rejects DeleteTable calls on the tables. */
  deletionProtection: boolean;
  /** Retention of every log group: the functions', the API access log and the custom resource provider's. */
  logRetention: RetentionDays;
  /**
   * Share of invocations, from 0 to 1, that log at DEBUG level regardless of POWERTOOLS_LOG_LEVEL
   * (POWERTOOLS_LOGGER_SAMPLE_RATE).
   */
  debugSampleRate: number;
  /**
   * Reserved concurrency of the webhook function, or `undefined` for none. It is both a guarantee and a
   * cap, so a flood of webhook requests cannot take the concurrency that the processor needs.
   */
  webhookReservedConcurrency: number | undefined;
  /** Highest number of processor instances that the inbound queue's event source invokes at once (2 to 1,000). */
  processorMaxConcurrency: number;
  /**
   * Highest number of notification sender instances that the notification queue's event source invokes at
   * once (2 to 1,000).
   */
  notificationSenderMaxConcurrency: number;
  /**
   * Whether the stack contains the WhatsApp channel: its webhook routes and function, its secret, its state
   * table, its monitoring and the processor's WHATSAPP_* variables.
   */
  whatsapp: boolean;
  /**
   * Whether the processor reads the OpenAI key secret (OPENAI_SECRET_ARN). Off by default: with the
   * placeholder key, OpenAI rejects every request with 401, and Whisper's 401 fails the voice note's record
   * until it reaches the dead-letter queue. Turn it on after putting the key in.
   */
  ai: boolean;
  /**
   * Whether the processor reads the Google Cloud Vision key secret (VISION_SECRET_ARN). Off by default: with
   * the placeholder key, Vision rejects every receipt, and the record fails until it reaches the dead-letter
   * queue. Turn it on after putting the key in.
   */
  vision: boolean;
}

const SETTINGS: Record<Stage, StageSettings> = {
  // Dev data is disposable, so `cdk destroy` removes everything. Dev accounts are often young, with a low
  // Lambda concurrency quota, so dev reserves little and scales the processor little.
  dev: {
    removalPolicy: RemovalPolicy.DESTROY,
    deletionProtection: false,
    logRetention: RetentionDays.ONE_WEEK,
    debugSampleRate: 0.1,
    webhookReservedConcurrency: 5,
    processorMaxConcurrency: 2,
    notificationSenderMaxConcurrency: 2,
    whatsapp: true,
    ai: false,
    vision: false,
  },
  // Prod keeps users' transactions and the bot token even when the stack or a resource is deleted.
  // Telegram opens at most 40 connections to a webhook at once (setWebhook's max_connections default,
  // which the registration does not change), so 40 webhook instances serve every legitimate delivery.
  // Five sender instances, each sending one record after another, reach SES's 14 e-mails per second at
  // about 350 ms per e-mail (an estimate, not a measurement). The token buckets hold all instances to that
  // rate, so more instances would mostly wait for tokens.
  prod: {
    removalPolicy: RemovalPolicy.RETAIN,
    deletionProtection: true,
    logRetention: RetentionDays.THREE_MONTHS,
    debugSampleRate: 0,
    webhookReservedConcurrency: 40,
    processorMaxConcurrency: 10,
    notificationSenderMaxConcurrency: 5,
    whatsapp: true,
    ai: false,
    vision: false,
  },
};

/**
 * Parses the `stage` context value. A missing value means `dev`.
 * @throws InvalidStageError for any other value.
 */
export function parseStage(value: unknown): Stage {
  if (value === undefined) {
    return 'dev';
  }

  const stage = STAGES.find((candidate) => candidate === value);
  if (stage === undefined) {
    throw new InvalidStageError(value);
  }

  return stage;
}

/** Returns the settings of a stage. */
export function settingsForStage(stage: Stage): StageSettings {
  return SETTINGS[stage];
}
