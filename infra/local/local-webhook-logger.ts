import type { LogItemExtraInput, LogItemMessage } from '@aws-lambda-powertools/logger/types';
import { LocalFunctionLogger } from './local-log';

/** Start of the warning that telegram-webhook logs at start when TELEGRAM_IP_CHECK is false. */
const IP_CHECK_OFF_WARNING = 'Telegram source IP check is off';

/**
 * The telegram-webhook logger of `npm start`. The local stack always turns the source IP check off, because
 * local requests come from 127.0.0.1. The function's start-up warning about it is meant for a deployed
 * function, so this logger writes it at INFO: it stays in the log file and leaves the terminal chat.
 */
export class LocalTelegramWebhookLogger extends LocalFunctionLogger {
  override warn(input: LogItemMessage, ...extraInput: LogItemExtraInput): void {
    if (typeof input === 'string' && input.startsWith(IP_CHECK_OFF_WARNING)) {
      this.info(input, ...extraInput);
      return;
    }
    super.warn(input, ...extraInput);
  }
}
