import { InvalidContextValueError } from './context-options';

/** Settings of the WhatsApp channel that the processor uses when it calls the Graph API. */
export interface WhatsAppOptions {
  /**
   * Name of the approved message template with one body parameter that carries a reply sent outside the
   * 24-hour customer-service window (WHATSAPP_REPLY_TEMPLATE). The app reads it from
   * `-c whatsappReplyTemplate=...`.
   * @default 'financy_reply'
   */
  readonly replyTemplate?: string;
  /**
   * Language code that the templates were approved in (WHATSAPP_TEMPLATE_LANGUAGE), such as `en` or `pt_BR`.
   * The app reads it from `-c whatsappTemplateLanguage=...`.
   * @default 'en'
   */
  readonly templateLanguage?: string;
  /**
   * Graph API version in request paths (WHATSAPP_API_VERSION). The app reads it from
   * `-c whatsappApiVersion=...`.
   * @default 'v23.0'
   */
  readonly apiVersion?: string;
}

/** Values of {@link WhatsAppOptions} that apply when an option is not set. */
export const DEFAULT_WHATSAPP_OPTIONS: Required<WhatsAppOptions> = {
  replyTemplate: 'financy_reply',
  templateLanguage: 'en',
  apiVersion: 'v23.0',
};

/** Returns `options` with each option that is not set replaced by its default. */
export function resolveWhatsAppOptions(options: WhatsAppOptions = {}): Required<WhatsAppOptions> {
  return {
    replyTemplate: options.replyTemplate ?? DEFAULT_WHATSAPP_OPTIONS.replyTemplate,
    templateLanguage: options.templateLanguage ?? DEFAULT_WHATSAPP_OPTIONS.templateLanguage,
    apiVersion: options.apiVersion ?? DEFAULT_WHATSAPP_OPTIONS.apiVersion,
  };
}

// Meta accepts template names of lowercase letters, digits and underscores, up to 512 characters.
const TEMPLATE_NAME = /^[a-z0-9_]{1,512}$/;

// Meta's template languages are a language code with an optional region, such as en, fil, en_US or pt_BR.
const TEMPLATE_LANGUAGE = /^[a-z]{2,3}(_[A-Z]{2})?$/;

// The same check that lib/config applies to WHATSAPP_API_VERSION when the processor starts.
const GRAPH_API_VERSION = /^v\d+\.\d+$/;

/**
 * Parses the WhatsApp options from their context values. An option that is not set stays `undefined`, so
 * its default applies.
 * @throws InvalidContextValueError for a value that the Graph API would reject.
 */
export function parseWhatsAppOptions(values: {
  replyTemplate: unknown;
  templateLanguage: unknown;
  apiVersion: unknown;
}): WhatsAppOptions {
  return {
    replyTemplate: parseMatching(
      'whatsappReplyTemplate',
      values.replyTemplate,
      TEMPLATE_NAME,
      'a template name of lowercase letters, digits and underscores, such as financy_reply',
    ),
    templateLanguage: parseMatching(
      'whatsappTemplateLanguage',
      values.templateLanguage,
      TEMPLATE_LANGUAGE,
      'a template language code such as en, en_US or pt_BR',
    ),
    apiVersion: parseMatching(
      'whatsappApiVersion',
      values.apiVersion,
      GRAPH_API_VERSION,
      'a Graph API version such as v23.0',
    ),
  };
}

function parseMatching(key: string, value: unknown, pattern: RegExp, expected: string): string | undefined {
  if (value === undefined || value === '') {
    return undefined;
  }
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new InvalidContextValueError(key, value, expected);
  }

  return value;
}
