import { createHmac } from 'node:crypto';
import type { FakeDeliveryStatus, FakeSentMessage, FakeStatusWebhook, FakeWebhookDelivery } from './types';

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const DEFAULT_STATUSES: FakeDeliveryStatus[] = ['sent', 'delivered', 'read'];

/**
 * Posts `statuses` webhooks for accepted messages, signed like Meta's: `X-Hub-Signature-256` is
 * `sha256=` and the hex HMAC-SHA256 of the exact body bytes with the app secret. Posts go out one at a
 * time in acceptance order, so a receiver gets sent, delivered and read in that order.
 */
export class StatusWebhookPoster {
  private readonly url: string;
  private readonly statuses: FakeDeliveryStatus[];
  private readonly deliveries: FakeWebhookDelivery[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly config: FakeStatusWebhook,
    private readonly businessAccountId: string,
  ) {
    const url = new URL(config.url);
    if (!LOCAL_HOSTS.has(url.hostname) || !/^https?:$/.test(url.protocol)) {
      throw new TypeError(
        `Fake WhatsApp status webhook URL host "${url.host}" is not local; pass an http URL on 127.0.0.1 or localhost.`,
      );
    }
    if (config.appSecret === '') {
      throw new TypeError(
        'Fake WhatsApp status webhook appSecret is empty; pass the app secret the webhook verifies.',
      );
    }

    this.url = url.href;
    this.statuses = config.statuses ?? DEFAULT_STATUSES;
  }

  /** Queues one POST per configured status for `message`. */
  post(message: FakeSentMessage): void {
    for (const status of this.statuses) {
      this.queue = this.queue.then(() => this.deliver(message, status));
    }
  }

  /** Waits for every queued POST and returns all outcomes so far. */
  async flush(): Promise<FakeWebhookDelivery[]> {
    await this.queue;
    return [...this.deliveries];
  }

  reset(): void {
    this.deliveries.length = 0;
  }

  private async deliver(message: FakeSentMessage, status: FakeDeliveryStatus): Promise<void> {
    const body = JSON.stringify(this.payload(message, status));
    const signature = createHmac('sha256', this.config.appSecret).update(body, 'utf8').digest('hex');

    try {
      const response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${signature}` },
        body,
        signal: AbortSignal.timeout(5_000),
      });
      await response.body?.cancel();
      this.deliveries.push({ messageId: message.id, status, response: response.status });
    } catch (error) {
      this.deliveries.push({ messageId: message.id, status, response: String(error) });
    }
  }

  private payload(message: FakeSentMessage, status: FakeDeliveryStatus): object {
    return {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: this.businessAccountId,
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: {
                  display_phone_number: displayPhoneNumber(message.phoneNumberId),
                  phone_number_id: message.phoneNumberId,
                },
                statuses: [
                  {
                    id: message.id,
                    status,
                    timestamp: String(Math.floor(Date.now() / 1000)),
                    recipient_id: message.waId,
                  },
                ],
              },
            },
          ],
        },
      ],
    };
  }
}

/** Invents the display number of a business phone number id: 1555 and the id's last seven digits. */
export function displayPhoneNumber(phoneNumberId: string): string {
  return `1555${phoneNumberId.slice(-7).padStart(7, '0')}`;
}
