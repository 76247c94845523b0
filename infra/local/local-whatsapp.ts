import { createHmac } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { WHATSAPP_SIGNATURE_HEADER } from '../../lib/channels/whatsapp/verification';
import type { LocalResources } from './provision';

/** Path of the WhatsApp webhook routes (GET handshake, POST notifications), the same as on API Gateway. */
export const WHATSAPP_WEBHOOK_PATH = '/webhooks/whatsapp';

/**
 * Business phone number ids of the local samples: the first two are those of events/whatsapp, the other
 * two those of the multi-number sample payloads. `npm start` gives them to the fake Graph API and the webhook.
 */
export const LOCAL_WHATSAPP_PHONE_NUMBER_IDS: readonly string[] = [
  '123456789012345',
  '123456789012346',
  '200000000000002',
  '200000000000009',
];

/** The WhatsApp side of the local stack: a Graph API (the fake's, normally) and the credentials. */
export interface LocalStackWhatsAppOptions {
  /** Origin of the Graph API, for example the fake's URL. */
  graphApiBaseUrl: string;
  accessToken: string;
  /** Secret that signs webhook POST bodies; the replayer and the terminal chat sign with it. */
  appSecret: string;
  verifyToken: string;
  /** Business phone number ids the webhook accepts. */
  phoneNumberIds: string[];
  /** @default a Powertools logger writing to stdout */
  webhookLogger?: Logger;
  /** @default a Powertools tracer, which does nothing outside Lambda */
  webhookTracer?: Tracer;
}

export /** Returns the environment that gives the WhatsApp webhook and the processor the local WhatsApp settings. */
function whatsAppEnvironment(
  whatsapp: LocalStackWhatsAppOptions | undefined,
  resources: LocalResources,
): Record<string, string> {
  if (whatsapp === undefined) {
    return {};
  }

  return {
    WHATSAPP_ACCESS_TOKEN: whatsapp.accessToken,
    WHATSAPP_APP_SECRET: whatsapp.appSecret,
    WHATSAPP_VERIFY_TOKEN: whatsapp.verifyToken,
    WHATSAPP_PHONE_NUMBER_IDS: whatsapp.phoneNumberIds.join(','),
    WHATSAPP_API_BASE_URL: whatsapp.graphApiBaseUrl,
    WHATSAPP_STATE_TABLE: resources.whatsappStateTable,
  };
}

/** Returns the `X-Hub-Signature-256` value Meta would send with `body`, signed with `appSecret`. */
export function signWhatsAppBody(body: string | Uint8Array, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

/**
 * POSTs a WhatsApp webhook payload to the local webhook the way Meta does: the exact bytes sent are the
 * bytes signed with the app secret.
 */
export async function postWhatsAppPayload(
  url: string,
  appSecret: string,
  payload: unknown,
): Promise<{ status: number; body: string }> {
  const body = JSON.stringify(payload);
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [WHATSAPP_SIGNATURE_HEADER]: signWhatsAppBody(body, appSecret),
    },
    body,
  });

  return { status: response.status, body: await response.text() };
}

/** Raised when a WhatsApp tool runs on a local stack started without the `whatsapp` option. */
export class WhatsAppWebhookMissingError extends Error {
  override readonly name = 'WhatsAppWebhookMissingError';
}

/** Returns the stack's WhatsApp webhook URL, or raises {@link WhatsAppWebhookMissingError} when it has none. */
export function whatsAppWebhookUrlOf(stack: { whatsappWebhookUrl?: string }): string {
  if (stack.whatsappWebhookUrl === undefined) {
    throw new WhatsAppWebhookMissingError(
      'The local stack serves no WhatsApp webhook (whatsappWebhookUrl is undefined); pass the whatsapp option to startLocalStack.',
    );
  }

  return stack.whatsappWebhookUrl;
}
