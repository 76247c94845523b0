import type { TelegramApiClient } from '../../lib/channels/telegram/api-client';
import { TelegramApiError } from '../../lib/channels/telegram/errors';
import type { LocalStack } from './stack';
import { postTelegramUpdate } from './telegram-post';

/** Seconds one getUpdates call waits for updates (Telegram's long polling). */
const LONG_POLL_SECONDS = 25;

/** Raised when getUpdates cannot be used because the bot has a webhook. */
export class WebhookActiveError extends Error {
  override readonly name = 'WebhookActiveError';

  constructor() {
    super(
      'This bot has a webhook set, so Telegram refuses getUpdates (409 Conflict). ' +
        'Use a separate bot for local development, or remove the webhook with deleteWebhook ' +
        '(this stops a deployed bot from receiving messages).',
    );
  }
}

/** Raised when the Bot API rejects the token (401) or does not know the bot (404). */
export class BotTokenRejectedError extends Error {
  override readonly name = 'BotTokenRejectedError';

  constructor(readonly status: number) {
    super(
      `The Bot API rejected TELEGRAM_BOT_TOKEN with ${status}. Copy the current token from @BotFather (/token) ` +
        'and check that TELEGRAM_API_BASE_URL, if set, points to a Bot API server.',
    );
  }
}

/** A running bridge. */
export interface PollingBridge {
  /** Resolves when the bridge stops. Rejects with {@link WebhookActiveError} or {@link BotTokenRejectedError} when polling cannot work. */
  done: Promise<void>;
  stop(): void;
}

/**
 * Long-polls the Bot API with getUpdates and posts each update to the local webhook, so a developer can
 * chat with a real bot without deploying. An update is confirmed to Telegram (offset) only once the local
 * webhook returned a status other than 5xx for it, so nothing is lost while the stack restarts.
 */
export function startPollingBridge(
  client: TelegramApiClient,
  stack: Pick<LocalStack, 'webhookUrl' | 'webhookSecret'>,
  log: (message: string) => void,
): PollingBridge {
  let running = true;
  let offset: number | undefined;

  const done = (async () => {
    while (running) {
      let updates: Awaited<ReturnType<TelegramApiClient['getUpdates']>>;
      try {
        updates = await client.getUpdates({ offset, timeout: LONG_POLL_SECONDS });
      } catch (error) {
        if (error instanceof TelegramApiError && error.errorCode === 409) {
          throw new WebhookActiveError();
        }
        if (error instanceof TelegramApiError && (error.errorCode === 401 || error.errorCode === 404)) {
          // A rejected token does not heal by waiting, so stop instead of polling forever.
          throw new BotTokenRejectedError(error.errorCode);
        }
        if (!running) {
          return;
        }
        log(`getUpdates failed (${(error as Error).message}); retrying in 2 s`);
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        continue;
      }

      for (const update of updates) {
        const response = await postTelegramUpdate(stack, update);
        if (response.status >= 500) {
          log(
            `Local webhook answered ${response.status} to update ${update.update_id}; it will be fetched again`,
          );
          break;
        }
        offset = update.update_id + 1;
      }
    }
  })();

  return {
    done,
    stop() {
      running = false;
    },
  };
}
