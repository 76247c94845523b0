import { splitAddressList } from '../addresses';

/**
 * Reader of the SES feedback that SNS delivers: the SNS `Message` is a JSON string holding either an SES
 * notification (`notificationType`) or an event-publishing record (`eventType`). SES may add fields at any
 * time, so unknown fields are ignored; only the fields read here must have the right shape.
 */

/** Feedback types that change the suppression table, matched exactly as SES spells them. */
export const FEEDBACK_TYPES = ['Bounce', 'Complaint', 'Delivery'] as const;

/** A feedback type that changes the suppression table. */
export type FeedbackType = (typeof FEEDBACK_TYPES)[number];

/** Ids of the e-mail that the feedback is about, for logs. */
export interface MailRef {
  /** SES `mail.messageId`. */
  sesMessageId?: string;
  /** The `correlationId` tag that the sender set, when SES returned tags (event publishing does). */
  correlationId?: string;
  /** Addresses in the `To` header, after splitting comma-joined values. */
  headerRecipientCount: number;
}

/** One bounced recipient. */
export interface BouncedRecipient {
  address: string;
  /** Enhanced status code, such as `5.1.1`, when the bounce carries one. */
  status?: string;
  diagnosticCode?: string;
}

/** SES feedback, reduced to what the suppression table needs. */
export type SesFeedback =
  | {
      type: 'Bounce';
      /** `Permanent`, `Transient` or `Undetermined`, or whatever SES sends. */
      bounceType: string;
      bounceSubType?: string;
      recipients: BouncedRecipient[];
      feedbackId?: string;
      timestamp?: string;
      mail: MailRef;
      /** Recipient entries without a usable address, which were dropped. */
      invalidRecipients: number;
    }
  | {
      type: 'Complaint';
      complaintSubType?: string;
      complaintFeedbackType?: string;
      recipients: string[];
      feedbackId?: string;
      timestamp?: string;
      mail: MailRef;
      invalidRecipients: number;
    }
  | { type: 'Delivery'; recipients: string[]; mail: MailRef; invalidRecipients: number }
  /** A type that needs no action here, such as `Send`, `Open` or `DeliveryDelay`. */
  | { type: 'ignored'; notificationType: string };

/** The SNS message is not readable SES feedback. Retrying cannot fix it. */
export class MalformedFeedbackError extends Error {
  override readonly name = 'MalformedFeedbackError';

  constructor(readonly reason: string) {
    super(`SES feedback is malformed: ${reason}.`);
  }
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(object: Json, key: string): string | undefined {
  const value = object[key];

  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Reads SES feedback from an SNS `Message` string. The type is `notificationType ?? eventType`, matched
 * exactly against Bounce, Complaint and Delivery; any other type is returned as `ignored`.
 * @throws {MalformedFeedbackError} when the message is not JSON, has no type, or lacks the recipient list of
 * its type.
 */
export function parseSesFeedback(message: unknown): SesFeedback {
  if (typeof message !== 'string') {
    throw new MalformedFeedbackError('the SNS Message is not a string');
  }

  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    throw new MalformedFeedbackError('the SNS Message is not valid JSON');
  }
  if (!isObject(value)) {
    throw new MalformedFeedbackError('the SNS Message is not a JSON object');
  }

  const notificationType = value.notificationType ?? value.eventType;
  if (typeof notificationType !== 'string') {
    throw new MalformedFeedbackError('it has neither notificationType nor eventType');
  }
  if (!(FEEDBACK_TYPES as readonly string[]).includes(notificationType)) {
    return { type: 'ignored', notificationType };
  }

  const mail = mailRefOf(value.mail);
  switch (notificationType as FeedbackType) {
    case 'Bounce':
      return bounceOf(value.bounce, mail);
    case 'Complaint':
      return complaintOf(value.complaint, mail);
    case 'Delivery':
      return deliveryOf(value.delivery, mail);
  }
}

function mailRefOf(mail: unknown): MailRef {
  if (!isObject(mail)) {
    return { headerRecipientCount: 0 };
  }

  const headers = isObject(mail.commonHeaders) ? mail.commonHeaders : {};
  const to = Array.isArray(headers.to)
    ? headers.to.filter((entry): entry is string => typeof entry === 'string')
    : [];
  const tags = isObject(mail.tags) ? mail.tags : {};
  const correlationTag = Array.isArray(tags.correlationId) ? tags.correlationId[0] : undefined;

  return {
    sesMessageId: optionalString(mail, 'messageId'),
    correlationId: typeof correlationTag === 'string' ? correlationTag : undefined,
    headerRecipientCount: splitAddressList(to).length,
  };
}

/** Returns the entries of `list` as objects, or throws when `list` is not an array. */
function entriesOf(list: unknown, field: string): Json[] {
  if (!Array.isArray(list)) {
    throw new MalformedFeedbackError(`${field} is not an array`);
  }

  return list.filter(isObject);
}

function bounceOf(bounce: unknown, mail: MailRef): SesFeedback {
  if (!isObject(bounce)) {
    throw new MalformedFeedbackError('a Bounce has no bounce object');
  }
  const bounceType = optionalString(bounce, 'bounceType');
  if (bounceType === undefined) {
    throw new MalformedFeedbackError('bounce.bounceType is missing');
  }

  const entries = entriesOf(bounce.bouncedRecipients, 'bounce.bouncedRecipients');
  const recipients: BouncedRecipient[] = [];
  let invalidRecipients = 0;
  for (const entry of entries) {
    const raw = optionalString(entry, 'emailAddress');
    // One entry may still hold a comma-joined list; each address in it bounced with the same status.
    const addresses = raw === undefined ? [] : splitAddressList([raw]);
    if (addresses.length === 0) {
      invalidRecipients += 1;
    }
    for (const address of addresses) {
      recipients.push({
        address,
        status: optionalString(entry, 'status'),
        diagnosticCode: optionalString(entry, 'diagnosticCode'),
      });
    }
  }

  return {
    type: 'Bounce',
    bounceType,
    bounceSubType: optionalString(bounce, 'bounceSubType'),
    recipients,
    feedbackId: optionalString(bounce, 'feedbackId'),
    timestamp: optionalString(bounce, 'timestamp'),
    mail,
    invalidRecipients,
  };
}

function addressesOf(entries: readonly unknown[], pick: (entry: unknown) => string | undefined) {
  const recipients: string[] = [];
  let invalidRecipients = 0;
  for (const entry of entries) {
    const raw = pick(entry);
    const addresses = raw === undefined ? [] : splitAddressList([raw]);
    if (addresses.length === 0) {
      invalidRecipients += 1;
    }
    recipients.push(...addresses);
  }

  return { recipients, invalidRecipients };
}

function complaintOf(complaint: unknown, mail: MailRef): SesFeedback {
  if (!isObject(complaint)) {
    throw new MalformedFeedbackError('a Complaint has no complaint object');
  }
  const entries = entriesOf(complaint.complainedRecipients, 'complaint.complainedRecipients');

  return {
    type: 'Complaint',
    complaintSubType: optionalString(complaint, 'complaintSubType'),
    complaintFeedbackType: optionalString(complaint, 'complaintFeedbackType'),
    feedbackId: optionalString(complaint, 'feedbackId'),
    timestamp: optionalString(complaint, 'timestamp'),
    mail,
    ...addressesOf(entries, (entry) => (isObject(entry) ? optionalString(entry, 'emailAddress') : undefined)),
  };
}

function deliveryOf(delivery: unknown, mail: MailRef): SesFeedback {
  if (!isObject(delivery) || !Array.isArray(delivery.recipients)) {
    throw new MalformedFeedbackError('a Delivery has no delivery.recipients array');
  }

  return {
    type: 'Delivery',
    mail,
    ...addressesOf(delivery.recipients, (entry) => (typeof entry === 'string' ? entry : undefined)),
  };
}
