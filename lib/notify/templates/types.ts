/** Channels a notification can go out on. */
export const NOTIFICATION_KINDS = ['email', 'push', 'sms', 'slack'] as const;

/** A channel a notification can go out on. */
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Names of the templates in {@link TEMPLATES}. */
export const TEMPLATE_NAMES = ['weekly-summary', 'email-confirmation', 'operations-alert'] as const;

/** A template name. */
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/** An e-mail ready for SES: the subject line and both bodies. */
export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** A mobile push notification: the title and body that the device shows. */
export interface RenderedPush {
  title: string;
  body: string;
}

/** A Slack message: `text` is the fallback that notifications and old clients show, `blocks` the layout. */
export interface RenderedSlack {
  text: string;
  blocks: readonly Readonly<Record<string, unknown>>[];
}

/** The e-mail part of a template: subject line, HTML body and plain-text body. */
export interface EmailTemplate<Data> {
  subject(data: Data): string;
  html(data: Data): string;
  text(data: Data): string;
}

/**
 * A notification template, stored in code so that it is reviewed and versioned with the code that fills
 * it. `parseData` checks the data from the queue message; a template renders only the kinds it defines.
 */
export interface NotificationTemplate<Data> {
  name: TemplateName;
  /**
   * Returns the template data read from an untrusted queue message.
   * @throws {InvalidNotificationError} naming the first invalid field under `path`.
   */
  parseData(value: unknown, path: string): Data;
  email?: EmailTemplate<Data>;
  push?(data: Data): RenderedPush;
  sms?(data: Data): string;
  slack?(data: Data): RenderedSlack;
}
