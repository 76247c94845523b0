import { createProcessorHandler } from '../../../functions/message-processor/create-handler';
import { createTelegramWebhookHandler } from '../../../functions/telegram-webhook/create-handler';
import { loadProcessorConfig, loadTelegramWebhookConfig } from '../../../lib/config';
import { createFunctionLogger } from '../../../lib/observability/function-logger';
import {
  OutputCapture,
  PROCESSOR_ENVIRONMENT,
  setEnvironment,
  WEBHOOK_ENVIRONMENT,
} from '../functions/support';

const SAMPLING_NOTICE = 'Setting log level to DEBUG due to sampling rate';

describe('createFunctionLogger', () => {
  let output: OutputCapture;
  let restoreEnvironment: () => void;

  function useEnvironment(values: Record<string, string | undefined>): void {
    restoreEnvironment = setEnvironment({
      POWERTOOLS_LOG_LEVEL: 'INFO',
      POWERTOOLS_LOGGER_SAMPLE_RATE: undefined,
      ...values,
    });
  }

  function levelsOf(message: string): unknown[] {
    return output
      .jsonLines()
      .filter((line) => line.message === message)
      .map((line) => line.level);
  }

  beforeEach(() => {
    output = new OutputCapture();
    output.start();
  });

  afterEach(() => {
    output.stop();
    restoreEnvironment();
  });

  it('logs DEBUG at a sample rate of 1', () => {
    useEnvironment({ POWERTOOLS_LOGGER_SAMPLE_RATE: '1' });
    const logger = createFunctionLogger('telegram-webhook');

    logger.debug('debug probe');

    expect(levelsOf('debug probe')).toEqual(['DEBUG']);
  });

  it('stays at INFO at a sample rate of 0', () => {
    useEnvironment({ POWERTOOLS_LOGGER_SAMPLE_RATE: '0' });
    const logger = createFunctionLogger('telegram-webhook');

    logger.debug('debug probe');
    logger.info('info probe');

    expect(levelsOf('debug probe')).toEqual([]);
    expect(levelsOf('info probe')).toEqual(['INFO']);
  });

  it('stays at INFO without a sample rate', () => {
    useEnvironment({});
    const logger = createFunctionLogger('telegram-webhook');

    logger.debug('debug probe');

    expect(levelsOf('debug probe')).toEqual([]);
  });

  it('takes the level from POWERTOOLS_LOG_LEVEL', () => {
    useEnvironment({ POWERTOOLS_LOG_LEVEL: 'WARN' });
    const logger = createFunctionLogger('telegram-webhook');

    logger.info('info probe');
    logger.warn('warn probe');

    expect(levelsOf('info probe')).toEqual([]);
    expect(levelsOf('warn probe')).toEqual(['WARN']);
  });

  it('samples DEBUG in the webhook function', () => {
    useEnvironment({ POWERTOOLS_LOGGER_SAMPLE_RATE: '1' });

    createTelegramWebhookHandler(loadTelegramWebhookConfig(WEBHOOK_ENVIRONMENT));

    expect(levelsOf(SAMPLING_NOTICE)).toEqual(['DEBUG']);
  });

  it('samples DEBUG in the processor function', () => {
    useEnvironment({ POWERTOOLS_LOGGER_SAMPLE_RATE: '1' });

    createProcessorHandler(loadProcessorConfig(PROCESSOR_ENVIRONMENT));

    expect(levelsOf(SAMPLING_NOTICE)).toEqual(['DEBUG']);
  });
});
