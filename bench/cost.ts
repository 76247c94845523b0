import type { RequestCounts } from './processor';

/**
 * AWS list prices for us-east-1 used by the estimate, in US dollars. They are the prices published on
 * the AWS pricing pages as of November 2024 (DynamoDB on-demand after its price reduction of
 * 1 November 2024). NOTE: not re-checked against the pricing pages since then.
 */
export const LIST_PRICES_USD = {
  asOf: '2024-11',
  httpApiPerMillionRequests: 1.0,
  lambdaPerMillionRequests: 0.2,
  lambdaArmPerGbSecond: 0.0000133334,
  sqsFifoPerMillionRequests: 0.5,
  dynamoOnDemandPerMillionWrites: 0.625,
  dynamoOnDemandPerMillionReads: 0.125,
  logsIngestionPerGb: 0.5,
} as const;

/** Inputs of the estimate that come from measurements. */
export interface CostInputs {
  dynamo: RequestCounts;
  webhookMs: number;
  processorMs: number;
}

/** Assumptions of the estimate that are not measured. */
export const COST_ASSUMPTIONS = {
  webhookMemoryMb: 256,
  processorMemoryMb: 512,
  /** SendMessage, ReceiveMessage and DeleteMessage when every batch contains one record (the costliest case). */
  sqsRequestsPerMessage: 3,
  /** Log volume per message at INFO: about six structured lines of ~250 bytes. */
  logBytesPerMessage: 1_500,
} as const;

/** One line of the estimate, in US dollars per 1,000 text messages. */
export interface CostLine {
  item: string;
  usdPer1000: number;
}

/** Estimates the AWS cost of 1,000 text messages from measured request counts and durations. */
export function estimateCostPer1000(inputs: CostInputs): CostLine[] {
  const prices = LIST_PRICES_USD;
  const per1000 = (perMillion: number, countPerMessage: number) =>
    (perMillion * countPerMessage * 1_000) / 1_000_000;
  const gbSeconds = (ms: number, memoryMb: number) =>
    (Math.max(1, Math.ceil(ms)) / 1_000) * (memoryMb / 1_024);
  const reads = inputs.dynamo.applicationReads + inputs.dynamo.resilienceReads;
  const writes = inputs.dynamo.applicationWrites + inputs.dynamo.resilienceWrites;

  return [
    { item: 'API Gateway HTTP API', usdPer1000: per1000(prices.httpApiPerMillionRequests, 1) },
    {
      item: 'Lambda requests (webhook + processor)',
      usdPer1000: per1000(prices.lambdaPerMillionRequests, 2),
    },
    {
      item: 'Lambda duration (arm64)',
      usdPer1000:
        1_000 *
        prices.lambdaArmPerGbSecond *
        (gbSeconds(inputs.webhookMs, COST_ASSUMPTIONS.webhookMemoryMb) +
          gbSeconds(inputs.processorMs, COST_ASSUMPTIONS.processorMemoryMb)),
    },
    {
      item: 'SQS FIFO',
      usdPer1000: per1000(prices.sqsFifoPerMillionRequests, COST_ASSUMPTIONS.sqsRequestsPerMessage),
    },
    { item: 'DynamoDB writes', usdPer1000: per1000(prices.dynamoOnDemandPerMillionWrites, writes) },
    { item: 'DynamoDB reads', usdPer1000: per1000(prices.dynamoOnDemandPerMillionReads, reads) },
    {
      item: 'CloudWatch Logs ingestion',
      usdPer1000: (prices.logsIngestionPerGb * COST_ASSUMPTIONS.logBytesPerMessage * 1_000) / 1_073_741_824,
    },
  ];
}
