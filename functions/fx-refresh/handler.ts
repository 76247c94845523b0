import { loadFxRefreshConfig } from '../../lib/config';
import { createFxRefreshHandler } from './create-handler';

/** Lambda entry point of the hourly exchange-rate refresh. */
export const handler = createFxRefreshHandler(loadFxRefreshConfig());
