import type { Update } from '@grammyjs/types';
import { TELEGRAM_SECRET_HEADER } from '../../lib/channels/telegram/webhook';
import type { LocalStack } from './stack';

/** Posts an update to the local webhook with the secret header, as Telegram does. */
export async function postTelegramUpdate(
  stack: Pick<LocalStack, 'webhookUrl' | 'webhookSecret'>,
  update: Update,
): Promise<{ status: number; body: string }> {
  const response = await fetch(stack.webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [TELEGRAM_SECRET_HEADER]: stack.webhookSecret },
    body: JSON.stringify(update),
  });

  return { status: response.status, body: await response.text() };
}
