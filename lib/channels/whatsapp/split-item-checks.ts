import type { WhatsAppContact, WhatsAppMessage, WhatsAppStatus } from './payload';

/**
 * Maximum length of a message or status id, in characters. Meta's wamids are about 60 characters, and the id
 * becomes part of the processor's DynamoDB idempotency key, which holds at most 2,048 bytes.
 */
export const MAX_ITEM_ID_LENGTH = 256;

/** Maximum length of `from`, `type` or `status`, in characters. Meta's values are short words or digits. */
const MAX_NAME_LENGTH = 64;

/** Message fields that hold an object when present. A `null` in one of them would crash the readers. */
const MESSAGE_OBJECT_FIELDS = [
  'context',
  'text',
  'image',
  'audio',
  'voice',
  'video',
  'document',
  'sticker',
  'interactive',
  'button',
  'reaction',
  'system',
  'location',
  'order',
  'referral',
] as const;

/** Message fields that hold an array when present. */
const MESSAGE_ARRAY_FIELDS = ['errors', 'contacts'] as const;

/** Status fields that hold an object when present. */
const STATUS_OBJECT_FIELDS = ['conversation', 'pricing'] as const;

/** Status fields that hold an array when present. */
const STATUS_ARRAY_FIELDS = ['errors'] as const;

/** Outcome of checking one item: the typed item, or the problem, which names the field but never quotes its value. */
export type ItemCheck<T> = { ok: true; item: T } | { ok: false; problem: string };

/** Returns whether `value` is a JSON object (not `null`, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isName(value: unknown, maxLength: number): value is string {
  return typeof value === 'string' && value !== '' && value.length <= maxLength;
}

/** Returns the problem of the first optional field that is present with the wrong JSON type. */
function optionalFieldProblem(
  item: Record<string, unknown>,
  objectFields: readonly string[],
  arrayFields: readonly string[],
): string | undefined {
  const wrongObject = objectFields.find((field) => item[field] !== undefined && !isObject(item[field]));
  if (wrongObject !== undefined) {
    return `${wrongObject} must be an object when present`;
  }

  const wrongArray = arrayFields.find((field) => item[field] !== undefined && !Array.isArray(item[field]));
  if (wrongArray !== undefined) {
    return `${wrongArray} must be an array when present`;
  }

  return undefined;
}

/**
 * Checks one element of a change's `messages` array: a string `id`, `from`, `timestamp` and `type`, and
 * objects or arrays in the optional fields that the processor reads. Unknown fields pass unchanged.
 */
export function checkMessage(value: unknown): ItemCheck<WhatsAppMessage> {
  if (!isObject(value)) {
    return { ok: false, problem: 'message must be an object' };
  }
  if (!isName(value.id, MAX_ITEM_ID_LENGTH)) {
    return { ok: false, problem: `id must be a string of 1 to ${MAX_ITEM_ID_LENGTH} characters` };
  }
  if (!isName(value.from, MAX_NAME_LENGTH)) {
    return { ok: false, problem: `from must be a string of 1 to ${MAX_NAME_LENGTH} characters` };
  }
  if (typeof value.timestamp !== 'string') {
    return { ok: false, problem: 'timestamp must be a string' };
  }
  if (!isName(value.type, MAX_NAME_LENGTH)) {
    return { ok: false, problem: `type must be a string of 1 to ${MAX_NAME_LENGTH} characters` };
  }

  const problem = optionalFieldProblem(value, MESSAGE_OBJECT_FIELDS, MESSAGE_ARRAY_FIELDS);

  return problem === undefined
    ? { ok: true, item: value as unknown as WhatsAppMessage }
    : { ok: false, problem };
}

/**
 * Checks one element of a change's `statuses` array: a string `id`, `status` and `timestamp`, and a string
 * `recipient_id` when present. Meta leaves `recipient_id` out for some undeliverable messages.
 */
export function checkStatus(value: unknown): ItemCheck<WhatsAppStatus> {
  if (!isObject(value)) {
    return { ok: false, problem: 'status must be an object' };
  }
  if (!isName(value.id, MAX_ITEM_ID_LENGTH)) {
    return { ok: false, problem: `id must be a string of 1 to ${MAX_ITEM_ID_LENGTH} characters` };
  }
  if (!isName(value.status, MAX_NAME_LENGTH)) {
    return { ok: false, problem: `status must be a string of 1 to ${MAX_NAME_LENGTH} characters` };
  }
  if (typeof value.timestamp !== 'string') {
    return { ok: false, problem: 'timestamp must be a string' };
  }
  if (value.recipient_id !== undefined && typeof value.recipient_id !== 'string') {
    return { ok: false, problem: 'recipient_id must be a string when present' };
  }

  const problem = optionalFieldProblem(value, STATUS_OBJECT_FIELDS, STATUS_ARRAY_FIELDS);

  return problem === undefined
    ? { ok: true, item: value as unknown as WhatsAppStatus }
    : { ok: false, problem };
}

/**
 * Returns the element of a change's `contacts` whose `wa_id` is `waId`, or `undefined`. A contact with a
 * `profile` that is not an object or a `user_id` that is not a string is not returned, because the processor
 * reads both. Meta leaves `profile` out of many deliveries, so a contact without one is returned.
 */
export function contactOf(contacts: unknown, waId: string): WhatsAppContact | undefined {
  if (!Array.isArray(contacts)) {
    return undefined;
  }

  const contact = contacts.find((candidate) => isObject(candidate) && candidate.wa_id === waId) as
    | Record<string, unknown>
    | undefined;
  if (contact === undefined) {
    return undefined;
  }
  const validProfile = contact.profile === undefined || isObject(contact.profile);
  const validUserId = contact.user_id === undefined || typeof contact.user_id === 'string';

  return validProfile && validUserId ? (contact as unknown as WhatsAppContact) : undefined;
}

/** Returns an item's `id` for a log line when it is a readable string, else `undefined`. */
export function readableIdOf(value: unknown): string | undefined {
  return isObject(value) && isName(value.id, MAX_ITEM_ID_LENGTH) ? value.id : undefined;
}
