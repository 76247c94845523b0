import { loadSesFeedbackConfig } from '../../lib/config';
import { PowertoolsMetricsSink } from '../../lib/observability/powertools-metrics';
import { createSesFeedbackHandler, SES_FEEDBACK_SERVICE } from './create-handler';

/** Lambda entry point of the SES feedback topic's subscriber. */
export const handler = createSesFeedbackHandler(loadSesFeedbackConfig(), {
  metrics: new PowertoolsMetricsSink({ serviceName: SES_FEEDBACK_SERVICE }),
});
