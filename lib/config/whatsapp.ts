import { ConfigError, type Env, integer, optional, required, url } from './environment';

/**
 * Source of the WhatsApp Cloud API credentials: a Secrets Manager secret on AWS (a JSON object with
 * `accessToken`, `appSecret`, `verifyToken` and `phoneNumberIds`), or plain variables on the local stack.
 */
export type WhatsAppSecretSource =
  | { kind: 'secrets-manager'; secretId: string; maxAgeSeconds: number }
  | {
      kind: 'environment';
      accessToken: string;
      appSecret: string;
      verifyToken: string;
      phoneNumberIds: string[];
    };

/** Comma-separated Graph API phone number ids, digits only. */
export function parsePhoneNumberIds(raw: string, source: string): string[] {
  const ids = raw
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  const invalid = ids.find((id) => !/^\d{1,32}$/.test(id));
  if (ids.length === 0 || invalid !== undefined) {
    throw new ConfigError(
      source,
      `expected one or more comma-separated phone number ids (digits, as in the WhatsApp Manager), got ${invalid === undefined ? 'none' : `"${invalid}"`}.`,
    );
  }

  return ids;
}

/** Reads where the WhatsApp credentials come from, or `undefined` when WhatsApp is not configured. */
export function whatsAppSecretSource(env: Env): WhatsAppSecretSource | undefined {
  const secretId = optional(env, 'WHATSAPP_SECRET_ARN');
  if (secretId !== undefined) {
    return {
      kind: 'secrets-manager',
      secretId,
      maxAgeSeconds: integer(env, 'SECRETS_CACHE_SECONDS', 300, 0, 86_400),
    };
  }

  const names = [
    'WHATSAPP_ACCESS_TOKEN',
    'WHATSAPP_APP_SECRET',
    'WHATSAPP_VERIFY_TOKEN',
    'WHATSAPP_PHONE_NUMBER_IDS',
  ] as const;
  const [accessToken, appSecret, verifyToken, phoneNumberIds] = names.map((name) => optional(env, name));
  if ([accessToken, appSecret, verifyToken, phoneNumberIds].every((value) => value === undefined)) {
    return undefined;
  }
  const missing = names.find((name) => optional(env, name) === undefined);
  if (missing !== undefined) {
    throw new ConfigError(
      missing,
      'set it too, or set WHATSAPP_SECRET_ARN to the Secrets Manager secret holding accessToken, appSecret, ' +
        'verifyToken and phoneNumberIds instead of the WHATSAPP_* variables.',
    );
  }

  return {
    kind: 'environment',
    accessToken: accessToken!,
    appSecret: appSecret!,
    verifyToken: verifyToken!,
    phoneNumberIds: parsePhoneNumberIds(phoneNumberIds!, 'WHATSAPP_PHONE_NUMBER_IDS'),
  };
}

/** Settings of the WhatsApp webhook function. */
export interface WhatsAppWebhookConfig {
  inboundQueueUrl: string;
  secrets: WhatsAppSecretSource;
  maxBodyBytes: number;
}

/** Reads the WhatsApp webhook function's settings. */
export function loadWhatsAppWebhookConfig(env: Env = process.env): WhatsAppWebhookConfig {
  const secrets = whatsAppSecretSource(env);
  if (secrets === undefined) {
    throw new ConfigError(
      'WHATSAPP_SECRET_ARN',
      'set it to the Secrets Manager secret holding accessToken, appSecret, verifyToken and phoneNumberIds, ' +
        'or set WHATSAPP_ACCESS_TOKEN, WHATSAPP_APP_SECRET, WHATSAPP_VERIFY_TOKEN and WHATSAPP_PHONE_NUMBER_IDS for local use.',
    );
  }

  return {
    inboundQueueUrl: required(env, 'INBOUND_QUEUE_URL'),
    secrets,
    maxBodyBytes: integer(env, 'WEBHOOK_MAX_BODY_BYTES', 1_048_576, 1_024, 10_485_760),
  };
}

/** Names of the approved message templates used outside the 24-hour customer-service window. */
export interface WhatsAppTemplates {
  /**
   * Template with one body parameter that carries the reply text (WHATSAPP_REPLY_TEMPLATE), sent when a
   * reply falls outside the window.
   */
  reply: string;
  /** Language code the templates were approved in (WHATSAPP_TEMPLATE_LANGUAGE), such as `en` or `en_US`. */
  language: string;
}

/** The processor's WhatsApp settings. */
export interface ProcessorWhatsAppConfig {
  secrets: WhatsAppSecretSource;
  /** Graph API origin (WHATSAPP_API_BASE_URL), a local fake on the local stack. */
  graphApiBaseUrl: string;
  /** Graph API version in request paths (WHATSAPP_API_VERSION), such as `v23.0`. */
  graphApiVersion: string;
  templates: WhatsAppTemplates;
  /**
   * Table of the WhatsApp state (WHATSAPP_STATE_TABLE): each user's 24-hour customer-service window and
   * the delivery state of the bot's messages.
   */
  stateTable: string;
  /** Largest media file the processor downloads (WHATSAPP_MAX_MEDIA_BYTES), in bytes. */
  maxMediaBytes: number;
}

/** Reads the processor's WhatsApp settings, or `undefined` when WhatsApp is not configured. */
export function loadProcessorWhatsAppConfig(env: Env): ProcessorWhatsAppConfig | undefined {
  const secrets = whatsAppSecretSource(env);
  if (secrets === undefined) {
    return undefined;
  }
  const version = optional(env, 'WHATSAPP_API_VERSION') ?? 'v23.0';
  if (!/^v\d+\.\d+$/.test(version)) {
    throw new ConfigError('WHATSAPP_API_VERSION', `expected a version such as v23.0, got "${version}".`);
  }

  return {
    secrets,
    graphApiBaseUrl: url(env, 'WHATSAPP_API_BASE_URL', 'https://graph.facebook.com'),
    graphApiVersion: version,
    templates: {
      reply: optional(env, 'WHATSAPP_REPLY_TEMPLATE') ?? 'financy_reply',
      language: optional(env, 'WHATSAPP_TEMPLATE_LANGUAGE') ?? 'en',
    },
    stateTable: required(env, 'WHATSAPP_STATE_TABLE'),
    maxMediaBytes: integer(env, 'WHATSAPP_MAX_MEDIA_BYTES', 16 * 1_048_576, 1_024, 100 * 1_048_576),
  };
}
