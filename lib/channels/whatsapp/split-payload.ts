import type { WhatsAppEnvelope } from '../../inbound/envelope';
import {
  checkMessage,
  checkStatus,
  contactOf,
  type ItemCheck,
  isObject,
  readableIdOf,
} from './split-item-checks';

/** The `object` of webhook POSTs about WhatsApp Business Accounts. Other values belong to other Meta products. */
export const WHATSAPP_BUSINESS_ACCOUNT_OBJECT = 'whatsapp_business_account';

/** The change field that carries messages and statuses. Other fields, such as `account_update`, are ignored. */
export const MESSAGES_FIELD = 'messages';

/** Maximum length of a change field name or foreign phone number id copied into the result for log lines. */
const MAX_LOGGED_NAME_LENGTH = 64;

/**
 * Why a part of a webhook POST was not turned into an envelope:
 * - `unknown-phone-number`: the change's `metadata.phone_number_id` is not one of the bot's numbers.
 * - `malformed`: an entry, change or item has a missing field or a field of the wrong type.
 */
export type WhatsAppSkipReason = 'unknown-phone-number' | 'malformed';

/** A message, status, entry or change that was skipped. */
export interface SkippedWhatsAppPart {
  reason: WhatsAppSkipReason;
  /** Location in the payload, such as `entry[1].changes[0].messages[2]`. */
  path: string;
  /** The problem, naming the field but never quoting its value. */
  problem: string;
  /** The change's `metadata.phone_number_id`, when it is a string, cut to 64 characters. */
  phoneNumberId?: string;
  /** The item's `id` (a wamid), when it is a readable string. */
  itemId?: string;
}

/** Result of {@link splitWhatsAppPayload}. */
export interface WhatsAppPayloadSplit {
  /** One envelope per message and status for the bot's numbers, in payload order. */
  envelopes: WhatsAppEnvelope[];
  skipped: SkippedWhatsAppPart[];
  /** Field names of changes other than `messages`, cut to 64 characters. */
  ignoredFields: string[];
}

/** Options of {@link splitWhatsAppPayload}. */
export interface SplitOptions {
  /** The bot's business phone number ids. Changes for other numbers are skipped. */
  phoneNumberIds: readonly string[];
  /** When the webhook accepted the POST, epoch milliseconds. */
  receivedAtEpochMs: number;
  /** Id of the webhook request, copied into every envelope. */
  correlationId?: string;
}

type EnvelopeBase = Pick<WhatsAppEnvelope, 'version' | 'channel' | 'receivedAtEpochMs' | 'correlationId'>;

/**
 * Turns a webhook POST into one envelope per message and status. Meta batches notifications, so every
 * entry, every change and every element of `messages[]` and `statuses[]` is read, not only the first.
 *
 * Each part is checked on its own: a malformed entry, change or item is skipped and reported in `skipped`,
 * and the others are still returned. A message's envelope carries the `contacts[]` element whose `wa_id`
 * is the sender's. A status's event id is `status:<wamid>:<status>`, so `sent`, `delivered` and `read` of
 * one message are three events.
 *
 * @example
 * const split = splitWhatsAppPayload(payload, { phoneNumberIds: secrets.phoneNumberIds, receivedAtEpochMs: Date.now() });
 * // split.envelopes go to the queue; split.skipped is logged.
 */
export function splitWhatsAppPayload(
  payload: { entry: unknown[] },
  options: SplitOptions,
): WhatsAppPayloadSplit {
  const split: WhatsAppPayloadSplit = { envelopes: [], skipped: [], ignoredFields: [] };
  const base: EnvelopeBase = {
    version: 1,
    channel: 'whatsapp',
    receivedAtEpochMs: options.receivedAtEpochMs,
    ...(options.correlationId === undefined ? {} : { correlationId: options.correlationId }),
  };
  const ownNumbers = new Set(options.phoneNumberIds);

  payload.entry.forEach((entry, entryIndex) => {
    const path = `entry[${entryIndex}]`;
    if (!isObject(entry) || !Array.isArray(entry.changes)) {
      split.skipped.push({
        reason: 'malformed',
        path,
        problem: 'entry must be an object with a changes array',
      });
      return;
    }

    entry.changes.forEach((change, changeIndex) => {
      splitChange(change, `${path}.changes[${changeIndex}]`, { split, base, ownNumbers });
    });
  });

  return split;
}

interface ChangeContext {
  split: WhatsAppPayloadSplit;
  base: EnvelopeBase;
  ownNumbers: ReadonlySet<string>;
}

function splitChange(change: unknown, path: string, context: ChangeContext): void {
  const { split } = context;
  if (!isObject(change) || typeof change.field !== 'string') {
    split.skipped.push({
      reason: 'malformed',
      path,
      problem: 'change must be an object with a string field',
    });
    return;
  }
  if (change.field !== MESSAGES_FIELD) {
    split.ignoredFields.push(change.field.slice(0, MAX_LOGGED_NAME_LENGTH));
    return;
  }

  const value = change.value;
  if (!isObject(value)) {
    split.skipped.push({ reason: 'malformed', path, problem: 'value must be an object' });
    return;
  }
  const phoneNumberId = isObject(value.metadata) ? value.metadata.phone_number_id : undefined;
  if (typeof phoneNumberId !== 'string' || phoneNumberId === '') {
    split.skipped.push({
      reason: 'malformed',
      path,
      problem: 'value.metadata.phone_number_id must be a non-empty string',
    });
    return;
  }

  const loggedPhoneNumberId = phoneNumberId.slice(0, MAX_LOGGED_NAME_LENGTH);
  const messages = itemList(value, 'messages', path, loggedPhoneNumberId, split);
  const statuses = itemList(value, 'statuses', path, loggedPhoneNumberId, split);
  if (!context.ownNumbers.has(phoneNumberId)) {
    for (const [name, items] of [
      ['messages', messages],
      ['statuses', statuses],
    ] as const) {
      items.forEach((item, index) => {
        split.skipped.push({
          reason: 'unknown-phone-number',
          path: `${path}.value.${name}[${index}]`,
          problem: 'metadata.phone_number_id is not one of the configured phone number ids',
          phoneNumberId: loggedPhoneNumberId,
          itemId: readableIdOf(item),
        });
      });
    }
    return;
  }

  const listPath = (name: string) => `${path}.value.${name}`;
  addItems(messages, listPath('messages'), phoneNumberId, checkMessage, split, (message) => {
    const contact = contactOf(value.contacts, message.from);
    return {
      ...context.base,
      eventId: message.id,
      phoneNumberId,
      item: contact === undefined ? { kind: 'message', message } : { kind: 'message', message, contact },
    };
  });
  addItems(statuses, listPath('statuses'), phoneNumberId, checkStatus, split, (status) => ({
    ...context.base,
    eventId: `status:${status.id}:${status.status}`,
    phoneNumberId,
    item: { kind: 'status', status },
  }));
}

/** Adds an envelope for every element of `list` that passes `check`, and a skipped part for every other. */
function addItems<T>(
  list: unknown[],
  listPath: string,
  phoneNumberId: string,
  check: (value: unknown) => ItemCheck<T>,
  split: WhatsAppPayloadSplit,
  envelopeOf: (item: T) => WhatsAppEnvelope,
): void {
  list.forEach((raw, index) => {
    const result = check(raw);
    if (!result.ok) {
      split.skipped.push({
        reason: 'malformed',
        path: `${listPath}[${index}]`,
        problem: result.problem,
        phoneNumberId,
        itemId: readableIdOf(raw),
      });
      return;
    }

    split.envelopes.push(envelopeOf(result.item));
  });
}

/** Returns `value[name]` when it is an array, and an empty list after recording a problem when it is not. */
function itemList(
  value: Record<string, unknown>,
  name: 'messages' | 'statuses',
  path: string,
  phoneNumberId: string,
  split: WhatsAppPayloadSplit,
): unknown[] {
  const list = value[name];
  if (list === undefined) {
    return [];
  }
  if (!Array.isArray(list)) {
    split.skipped.push({
      reason: 'malformed',
      path: `${path}.value.${name}`,
      problem: `${name} must be an array when present`,
      phoneNumberId,
    });
    return [];
  }

  return list;
}
