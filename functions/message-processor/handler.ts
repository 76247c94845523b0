import { loadProcessorConfig } from '../../lib/config';
import { createProcessorHandler } from './create-handler';

/** Lambda entry point of the inbound queue's processor. */
export const handler = createProcessorHandler(loadProcessorConfig());
