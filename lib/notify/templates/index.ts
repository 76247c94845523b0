import { InvalidNotificationError } from '../errors';
import { emailConfirmationTemplate } from './email-confirmation';
import { operationsAlertTemplate } from './operations-alert';
import type {
  NotificationKind,
  NotificationTemplate,
  RenderedEmail,
  RenderedPush,
  RenderedSlack,
  TemplateName,
} from './types';
import { weeklySummaryTemplate } from './weekly-summary';

export * from './types';

/** Every template, by name. */
export const TEMPLATES: Readonly<Record<TemplateName, NotificationTemplate<never>>> = {
  'weekly-summary': weeklySummaryTemplate as NotificationTemplate<never>,
  'email-confirmation': emailConfirmationTemplate as NotificationTemplate<never>,
  'operations-alert': operationsAlertTemplate as NotificationTemplate<never>,
};

/** Returns the kinds a template can render, such as `['email', 'slack']`. */
export function kindsOf(name: TemplateName): NotificationKind[] {
  const template = TEMPLATES[name];
  const kinds: NotificationKind[] = [];
  if (template.email !== undefined) kinds.push('email');
  if (template.push !== undefined) kinds.push('push');
  if (template.sms !== undefined) kinds.push('sms');
  if (template.slack !== undefined) kinds.push('slack');

  return kinds;
}

/**
 * Checks that template `name` renders `kind` and that `data` fits it, as the queue message parser does.
 * @throws {InvalidNotificationError} naming the kind or the first invalid data field.
 */
export function validateTemplateData(name: TemplateName, kind: NotificationKind, data: unknown): void {
  if (!kindsOf(name).includes(kind)) {
    throw new InvalidNotificationError(
      'template',
      `"${name}" cannot be sent as ${kind}; it renders ${kindsOf(name).join(', ')}`,
    );
  }

  TEMPLATES[name].parseData(data, 'data');
}

function templateFor<Part extends keyof NotificationTemplate<unknown>>(name: TemplateName, part: Part) {
  const template = TEMPLATES[name] as unknown as NotificationTemplate<unknown>;
  const renderer = template[part];
  if (renderer === undefined) {
    throw new InvalidNotificationError('template', `"${name}" has no ${part} rendering`);
  }

  return { template, renderer: renderer as NonNullable<NotificationTemplate<unknown>[Part]> };
}

/** Renders the subject and both bodies of an e-mail. */
export function renderEmail(name: TemplateName, data: unknown): RenderedEmail {
  const { template, renderer } = templateFor(name, 'email');
  const parsed = template.parseData(data, 'data');

  return { subject: renderer.subject(parsed), html: renderer.html(parsed), text: renderer.text(parsed) };
}

/** Renders the title and body of a mobile push notification. */
export function renderPush(name: TemplateName, data: unknown): RenderedPush {
  const { template, renderer } = templateFor(name, 'push');

  return renderer(template.parseData(data, 'data'));
}

/** Renders the text of an SMS. */
export function renderSms(name: TemplateName, data: unknown): string {
  const { template, renderer } = templateFor(name, 'sms');

  return renderer(template.parseData(data, 'data'));
}

/** Renders a Slack message. */
export function renderSlack(name: TemplateName, data: unknown): RenderedSlack {
  const { template, renderer } = templateFor(name, 'slack');

  return renderer(template.parseData(data, 'data'));
}
