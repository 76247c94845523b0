import { loadSesFeedbackConfig } from '../../lib/config';
import { createSesFeedbackHandler } from './create-handler';

/** Lambda entry point of the SES feedback topic's subscriber. */
export const handler = createSesFeedbackHandler(loadSesFeedbackConfig());
