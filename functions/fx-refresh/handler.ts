import { loadFxRefreshConfig } from '../../lib/config';
import { PowertoolsMetricsSink } from '../../lib/observability/powertools-metrics';
import { createFxRefreshHandler, FX_REFRESH_SERVICE } from './create-handler';

/** Lambda entry point of the hourly exchange-rate refresh. */
export const handler = createFxRefreshHandler(loadFxRefreshConfig(), {
  metrics: new PowertoolsMetricsSink({ serviceName: FX_REFRESH_SERVICE }),
});
