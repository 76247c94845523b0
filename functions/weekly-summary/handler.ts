import { loadWeeklySummaryConfig } from '../../lib/config';
import { createWeeklySummaryHandler } from './create-handler';

/** Lambda entry point of the scheduled weekly summary. */
export const handler = createWeeklySummaryHandler(loadWeeklySummaryConfig());
