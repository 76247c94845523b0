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
  /** Retention of the functions' log groups. */
  logRetention: RetentionDays;
}

const SETTINGS: Record<Stage, StageSettings> = {
  // Dev data is disposable, so `cdk destroy` removes everything.
  dev: {
    removalPolicy: RemovalPolicy.DESTROY,
    deletionProtection: false,
    logRetention: RetentionDays.ONE_WEEK,
  },
  // Prod keeps users' transactions and the bot token even when the stack or a resource is deleted.
  prod: {
    removalPolicy: RemovalPolicy.RETAIN,
    deletionProtection: true,
    logRetention: RetentionDays.THREE_MONTHS,
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
