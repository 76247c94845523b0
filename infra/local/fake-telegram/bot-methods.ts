import type { File, Update, UserFromGetMe, WebhookInfo } from '@grammyjs/types';
import { badRequest, FakeApiError } from './api-error';
import { DescribedResult, type MethodContext } from './context';
import { MAX_FILE_BYTES } from './state';
import { type Params, readAllowedUpdates, readBoolean, readInteger, readString } from './validation';

/** Ports that Telegram delivers webhooks to, per the setWebhook docs. */
const WEBHOOK_PORTS = new Set(['443', '80', '88', '8443']);

/** Default and maximum `max_connections` of a webhook, per the setWebhook docs. */
const DEFAULT_MAX_CONNECTIONS = 40;
const MAX_CONNECTIONS = 100;

export function getMe(_params: Params, { state }: MethodContext): UserFromGetMe {
  return state.bot;
}

export function getFile(params: Params, { state }: MethodContext): File {
  const file = state.fileById(readString(params, 'file_id') ?? '');
  if (file === undefined) {
    throw badRequest('invalid file_id');
  }

  if (file.file_size > MAX_FILE_BYTES) {
    throw badRequest('file is too big');
  }

  const { bytes: _bytes, ...metadata } = file;
  return metadata;
}

export async function getUpdates(
  params: Params,
  { state, updates, signal }: MethodContext,
): Promise<Update[]> {
  if (state.webhook !== undefined) {
    throw new FakeApiError(
      409,
      "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
    );
  }

  return updates.poll(
    {
      offset: readInteger(params, 'offset'),
      limit: readInteger(params, 'limit'),
      timeout: readInteger(params, 'timeout'),
      allowedUpdates: readAllowedUpdates(params),
    },
    signal,
  );
}

/**
 * Stores a webhook. The fake never delivers updates to it: tests post updates to the webhook
 * function themselves.
 */
export function setWebhook(params: Params, context: MethodContext): DescribedResult {
  const url = readString(params, 'url') ?? '';
  if (url === '') {
    return deleteWebhook(params, context);
  }

  validateWebhookUrl(url);
  const secretToken = readString(params, 'secret_token');
  if (secretToken !== undefined && !/^[\w-]{1,256}$/.test(secretToken)) {
    throw badRequest('secret token contains unallowed characters');
  }

  const maxConnections = readInteger(params, 'max_connections') ?? DEFAULT_MAX_CONNECTIONS;
  const allowedUpdates = readAllowedUpdates(params);
  if (allowedUpdates !== undefined) {
    context.updates.allowed = allowedUpdates;
  }

  if (readBoolean(params, 'drop_pending_updates')) {
    context.updates.drop();
  }

  context.updates.release();
  context.state.webhook = {
    url,
    secretToken,
    allowedUpdates: context.updates.allowed,
    maxConnections: Math.min(Math.max(maxConnections, 1), MAX_CONNECTIONS),
  };
  return new DescribedResult(true, 'Webhook was set');
}

export function deleteWebhook(params: Params, { state, updates }: MethodContext): DescribedResult {
  if (readBoolean(params, 'drop_pending_updates')) {
    updates.drop();
  }

  const existed = state.webhook !== undefined;
  state.webhook = undefined;
  return new DescribedResult(true, existed ? 'Webhook was deleted' : 'Webhook is already deleted');
}

export function getWebhookInfo(_params: Params, { state, updates }: MethodContext): WebhookInfo {
  const webhook = state.webhook;
  const info: WebhookInfo = {
    url: webhook?.url ?? '',
    has_custom_certificate: false,
    pending_update_count: updates.size,
  };
  if (webhook === undefined) {
    return info;
  }

  info.max_connections = webhook.maxConnections;
  if (webhook.allowedUpdates !== undefined) {
    info.allowed_updates = webhook.allowedUpdates as WebhookInfo['allowed_updates'];
  }

  return info;
}

function validateWebhookUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badRequest('bad webhook: Failed to resolve host: Name or service not known');
  }

  if (parsed.protocol !== 'https:') {
    throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
  }

  if (!WEBHOOK_PORTS.has(parsed.port === '' ? '443' : parsed.port)) {
    throw badRequest('bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443');
  }
}
