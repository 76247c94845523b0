/**
 * Planted values of the log-leak test and the search for them in captured output. Each value is
 * distinctive enough that finding it in a log line, error, metric or trace can only mean that it leaked.
 */

/** A secret or a piece of personal data that the test plants and then searches for. */
export interface PlantedValue {
  /** Name used in failure messages, in place of the value itself. */
  label: string;
  value: string;
  /**
   * Matches only where no digit is adjacent, for short numbers such as a six-digit code that would
   * otherwise turn up inside timestamps and ids.
   * @default false
   */
  standaloneDigits?: boolean;
  /**
   * Allows the value in log lines below INFO (DEBUG and TRACE), for an id that the code logs on purpose at
   * DEBUG only, such as a WhatsApp sender's wa_id. Every other kind of item is still searched.
   * @default false
   */
  allowedBelowInfo?: boolean;
}

/** Where a captured item came from, and what it is. */
export interface CapturedItem {
  /** Function name, or `process` for output that no function can be named for. */
  source: string;
  kind: CapturedKind;
  text: string;
}

/** Kinds of captured output, as the failure messages and the printed counts name them. */
export type CapturedKind =
  | 'log line'
  | 'error'
  | 'trace error'
  | 'metric data point'
  | 'EMF line'
  | 'trace annotation'
  | 'trace subsegment'
  | 'HTTP response'
  | 'handler result'
  | 'stdout write'
  | 'stderr write'
  | 'console call';

/** A planted value found in a captured item. */
export interface Leak {
  source: string;
  kind: CapturedKind;
  label: string;
}

/** Bot token of the fake Bot API, in the `<bot id>:<secret>` form. */
export const PLANTED_BOT_TOKEN = '7351908246:AAFq9LeakBotTokenX3vR8mZt_K2pWn7Ys4';
/** The part of the bot token after the colon, which alone lets anyone use the bot. */
export const PLANTED_BOT_TOKEN_SECRET = PLANTED_BOT_TOKEN.split(':')[1]!;
/** Webhook secret token, from the characters that setWebhook allows. */
export const PLANTED_WEBHOOK_SECRET = 'LeakWebhookSecret-7Hq2xPz9Vb4Nd6Km';
/** A wrong secret token, as a caller who does not know the secret sends it. */
export const PLANTED_WRONG_SECRET = 'WrongCallerSecret-3Jf8Ls1Wq5Rt0Yc';
/** ExchangeRate-API key: 24 hexadecimal digits, as the provider issues them. */
export const PLANTED_FX_API_KEY = 'e5c0a7b3f19d4268ac3b7f0e';
/** E-mail address in mixed case, to catch a lower-cased copy as well. */
export const PLANTED_EMAIL = 'Leak.Planted-Person@Quillmail.Example';
export const PLANTED_EMAIL_LOCAL_PART = PLANTED_EMAIL.split('@')[0]!;
/** Phone number in E.164 form. */
export const PLANTED_PHONE = '+15557310946';
/** The phone number without the country code, as a national format would show it. */
export const PLANTED_PHONE_NATIONAL = '5557310946';
/** Merchant and amount of an expense message. */
export const PLANTED_MERCHANT = 'Zorbleflax';
export const PLANTED_AMOUNT = '4721.93';
export const PLANTED_TEXT = `lunch ${PLANTED_AMOUNT} at ${PLANTED_MERCHANT}`;
/** Merchant and amount of a photo caption. */
export const PLANTED_CAPTION_MERCHANT = 'Gribbleworth';
export const PLANTED_CAPTION_AMOUNT = '318.64';
export const PLANTED_CAPTION = `receipt ${PLANTED_CAPTION_AMOUNT} at ${PLANTED_CAPTION_MERCHANT}`;
/** Merchant of an edited message. */
export const PLANTED_EDITED_MERCHANT = 'Plumtwizzle';
/** Word of a request body that is not JSON. */
export const PLANTED_BROKEN_BODY_WORD = 'Snorkelquast';
/** Callback data of a button that the bot never sent, within Telegram's 64-byte limit. */
export const PLANTED_CALLBACK_DATA = 'lk:Vexpayload7Q';
/** Access token of the WhatsApp Cloud API, which the fake Graph API requires as the bearer token. */
export const PLANTED_WHATSAPP_ACCESS_TOKEN = 'EAAGLeakWhatsAppToken9ZqX2mVb7KpR4tWy8NdF3hJs6LcQ1';
/** Meta app secret, which signs webhook bodies in `X-Hub-Signature-256`. */
export const PLANTED_WHATSAPP_APP_SECRET = '9f3c7a1e5b8d4f20a6c9e7b1d3f5a802';
/** Verify token of the WhatsApp subscription handshake. */
export const PLANTED_WHATSAPP_VERIFY_TOKEN = 'LeakVerifyToken-4Rm8Qz2Wx6TnPc';
/** A wrong verify token, as a caller who does not know the token sends it. */
export const PLANTED_WRONG_VERIFY_TOKEN = 'WrongVerifyToken-7Hd3Kp9Bv1YsGe';
/** The WhatsApp sender's wa_id: the phone number in international form, digits only. */
export const PLANTED_WA_ID = '4915209876543';
/** Merchant and amount of a WhatsApp text message. */
export const PLANTED_WHATSAPP_MERCHANT = 'Quibbleshank';
export const PLANTED_WHATSAPP_AMOUNT = '5836.17';
export const PLANTED_WHATSAPP_TEXT = `groceries ${PLANTED_WHATSAPP_AMOUNT} at ${PLANTED_WHATSAPP_MERCHANT}`;
/** Word of a WhatsApp webhook body that is not JSON. */
export const PLANTED_WHATSAPP_BROKEN_BODY_WORD = 'Flumpercrast';

/** Returns the planted values known before the run. The test adds the Slack webhook URL and the e-mail code. */
export function staticPlantedValues(): PlantedValue[] {
  return [
    { label: 'bot token', value: PLANTED_BOT_TOKEN },
    { label: 'bot token secret part', value: PLANTED_BOT_TOKEN_SECRET },
    { label: 'webhook secret', value: PLANTED_WEBHOOK_SECRET },
    { label: 'wrong webhook secret', value: PLANTED_WRONG_SECRET },
    { label: 'FX API key', value: PLANTED_FX_API_KEY },
    { label: 'e-mail address', value: PLANTED_EMAIL },
    { label: 'e-mail local part', value: PLANTED_EMAIL_LOCAL_PART },
    { label: 'phone number', value: PLANTED_PHONE },
    { label: 'phone number national digits', value: PLANTED_PHONE_NATIONAL },
    { label: 'message text', value: PLANTED_TEXT },
    { label: 'message merchant', value: PLANTED_MERCHANT },
    { label: 'message amount', value: PLANTED_AMOUNT },
    { label: 'caption text', value: PLANTED_CAPTION },
    { label: 'caption merchant', value: PLANTED_CAPTION_MERCHANT },
    { label: 'caption amount', value: PLANTED_CAPTION_AMOUNT },
    { label: 'edited message merchant', value: PLANTED_EDITED_MERCHANT },
    { label: 'invalid JSON body word', value: PLANTED_BROKEN_BODY_WORD },
    { label: 'callback payload', value: PLANTED_CALLBACK_DATA },
    { label: 'WhatsApp access token', value: PLANTED_WHATSAPP_ACCESS_TOKEN },
    { label: 'WhatsApp app secret', value: PLANTED_WHATSAPP_APP_SECRET },
    { label: 'WhatsApp verify token', value: PLANTED_WHATSAPP_VERIFY_TOKEN },
    { label: 'wrong WhatsApp verify token', value: PLANTED_WRONG_VERIFY_TOKEN },
    { label: 'WhatsApp message text', value: PLANTED_WHATSAPP_TEXT },
    { label: 'WhatsApp message merchant', value: PLANTED_WHATSAPP_MERCHANT },
    { label: 'WhatsApp message amount', value: PLANTED_WHATSAPP_AMOUNT },
    { label: 'WhatsApp invalid JSON body word', value: PLANTED_WHATSAPP_BROKEN_BODY_WORD },
    { label: 'WhatsApp wa_id', value: PLANTED_WA_ID, standaloneDigits: true, allowedBelowInfo: true },
  ];
}

/**
 * Returns the lower-cased forms in which a value can appear: as it is, URL-encoded as a query value and as
 * a URL, and escaped inside a JSON string.
 */
export function searchFormsOf(value: string): string[] {
  const forms = [value, encodeURIComponent(value), encodeURI(value), JSON.stringify(value).slice(1, -1)];

  return [...new Set(forms.map((form) => form.toLowerCase()))];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Log levels below INFO in Powertools Logger, whose JSON lines name the level in `level`. */
const LEVELS_BELOW_INFO = new Set(['TRACE', 'DEBUG']);

/** Returns whether an item is a JSON log line whose `level` is below INFO. Other text counts as INFO or above. */
function isBelowInfoLogLine(item: CapturedItem): boolean {
  if (item.kind !== 'log line') {
    return false;
  }

  try {
    const level = (JSON.parse(item.text) as { level?: unknown } | null)?.level;
    return typeof level === 'string' && LEVELS_BELOW_INFO.has(level.toUpperCase());
  } catch {
    return false;
  }
}

interface Matcher {
  label: string;
  allowedBelowInfo: boolean;
  matches: (text: string) => boolean;
}

/** Returns one matcher per planted value, which tests a lower-cased text. */
function matchersOf(planted: readonly PlantedValue[]): Matcher[] {
  return planted.map(({ label, value, standaloneDigits, allowedBelowInfo = false }) => {
    const forms = searchFormsOf(value);
    if (standaloneDigits === true) {
      const pattern = new RegExp(`(?<!\\d)(?:${forms.map(escapeRegExp).join('|')})(?!\\d)`);
      return { label, allowedBelowInfo, matches: (text: string) => pattern.test(text) };
    }

    return { label, allowedBelowInfo, matches: (text: string) => forms.some((form) => text.includes(form)) };
  });
}

/**
 * Returns every planted value found in a captured item, case-insensitively, one leak per item and value.
 * A value marked `allowedBelowInfo` is not searched in DEBUG and TRACE log lines, and every other value is
 * searched at every level. Leaks name the source, the kind of item and the value's label, never the value.
 */
export function findLeaks(items: readonly CapturedItem[], planted: readonly PlantedValue[]): Leak[] {
  const matchers = matchersOf(planted);
  const leaks: Leak[] = [];
  for (const item of items) {
    const text = item.text.toLowerCase();
    const belowInfo = isBelowInfoLogLine(item);
    for (const matcher of matchers) {
      if (belowInfo && matcher.allowedBelowInfo) {
        continue;
      }
      if (matcher.matches(text)) {
        leaks.push({ source: item.source, kind: item.kind, label: matcher.label });
      }
    }
  }

  return leaks;
}

/** Describes leaks for a failure message, one line each, counting repeats. */
export function describeLeaks(leaks: readonly Leak[]): string {
  const counts = new Map<string, number>();
  for (const leak of leaks) {
    const line = `${leak.source}: ${leak.label} found in ${leak.kind}`;
    counts.set(line, (counts.get(line) ?? 0) + 1);
  }

  return [...counts].map(([line, count]) => (count === 1 ? line : `${line} (${count} times)`)).join('\n');
}
