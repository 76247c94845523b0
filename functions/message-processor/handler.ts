import { loadProcessorConfig } from '../../lib/config';
import { PowertoolsMetricsSink } from '../../lib/observability/powertools-metrics';
import { createProcessorHandler, PROCESSOR_SERVICE } from './create-handler';

/** Lambda entry point of the inbound queue's processor. */
export const handler = createProcessorHandler(loadProcessorConfig(), {
  metrics: new PowertoolsMetricsSink({ serviceName: PROCESSOR_SERVICE }),
});
