import { Logger } from '@aws-lambda-powertools/logger';

/**
 * Creates the Powertools Logger of a function. It sets only the service name, so the deployment's
 * environment decides the rest: `POWERTOOLS_LOG_LEVEL` the level, and `POWERTOOLS_LOGGER_SAMPLE_RATE` the
 * share of invocations (0 to 1) that log at DEBUG. A `logLevel` or `sampleRateValue` given here would
 * override those variables.
 */
export function createFunctionLogger(serviceName: string): Logger {
  return new Logger({ serviceName });
}
