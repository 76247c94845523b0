import type { SentEmail } from './fake-ses/server';
import type { SlackMessage } from './fake-slack/server';
import type { PublishedMessage } from './fake-sns/server';
import type { LocalNotifications } from './local-notifications';

/** A running watch of the fake providers. */
export interface NotificationFeed {
  stop(): void;
}

/** How often the feed looks for new messages in the fakes, in milliseconds. */
const POLL_INTERVAL_MS = 200;

/** Lines of an e-mail's text body that the feed prints, so a long summary does not flood the terminal. */
const MAX_EMAIL_BODY_LINES = 12;

/**
 * Prints one entry per message that reaches the fake SES, SNS or Slack server, as it arrives. An entry
 * names the channel and shows the message text, or an e-mail's subject followed by the start of its text
 * body, which carries the code of an e-mail confirmation. It shows no recipient address or phone number.
 */
export function watchLocalNotifications(
  notifications: Pick<LocalNotifications, 'ses' | 'sns' | 'slack'>,
  print: (entry: string) => void,
): NotificationFeed {
  const printedCounts = { emails: 0, published: 0, slack: 0 };
  const printNew = () => {
    for (const email of notifications.ses.sent.slice(printedCounts.emails)) {
      print(describeEmail(email));
    }
    for (const message of notifications.sns.published.slice(printedCounts.published)) {
      print(describePublished(message));
    }
    for (const message of notifications.slack.messages.slice(printedCounts.slack)) {
      print(describeSlack(message));
    }
    printedCounts.emails = notifications.ses.sent.length;
    printedCounts.published = notifications.sns.published.length;
    printedCounts.slack = notifications.slack.messages.length;
  };
  const timer = setInterval(printNew, POLL_INTERVAL_MS);

  return {
    stop() {
      clearInterval(timer);
      printNew();
    },
  };
}

function describeEmail(email: SentEmail): string {
  const recipients = email.to.length === 1 ? '1 recipient' : `${email.to.length} recipients`;
  const heading = `e-mail › "${email.subject ?? '(no subject)'}" to ${recipients} (fake SES, ${email.messageId})`;
  const bodyLines = (email.text ?? '').split('\n').filter((line) => line.trim() !== '');
  const shownLines = bodyLines.slice(0, MAX_EMAIL_BODY_LINES).map((line) => `  ${line}`);
  if (bodyLines.length > MAX_EMAIL_BODY_LINES) {
    shownLines.push(`  … ${bodyLines.length - MAX_EMAIL_BODY_LINES} more lines`);
  }

  return [heading, ...shownLines].join('\n');
}

function describePublished(message: PublishedMessage): string {
  if (message.phoneNumber !== undefined) {
    return `SMS › ${message.message} (fake SNS)`;
  }

  return `push › ${pushText(message)} (fake SNS)`;
}

/** Returns the `default` text of a per-platform message, or the message as it is. */
function pushText(message: PublishedMessage): string {
  if (message.messageStructure !== 'json') {
    return message.message;
  }
  try {
    const platforms = JSON.parse(message.message) as { default?: unknown };
    return typeof platforms.default === 'string' ? platforms.default : message.message;
  } catch {
    return message.message;
  }
}

function describeSlack(message: SlackMessage): string {
  return `Slack ${message.webhook} › ${message.payload.text ?? '(blocks only)'} (fake Slack webhook)`;
}
