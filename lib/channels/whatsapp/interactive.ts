/**
 * Rendering of a channel-neutral {@link OutgoingMessage} as WhatsApp Cloud API messages: plain text,
 * reply buttons, or list messages, each within Meta's limits.
 */
import type { ActionButton, OutgoingMessage } from '../channel';
import { splitMessage } from '../telegram/split-message';
import { htmlToPlainText, htmlToWhatsApp } from './format';
import type { GraphButtonMessage, GraphListMessage, GraphListRow, GraphOutgoingMessage } from './graph-types';
import { ELLIPSIS, textLength, truncateText } from './truncate';

/** Meta's limits on the messages rendered here, per the Cloud API message reference. */
export const WHATSAPP_MESSAGE_LIMITS = {
  /** Body of a text message. */
  textBody: 4096,
  /** Body of an interactive (button or list) message. */
  interactiveBody: 1024,
  /** Reply buttons in one message. */
  replyButtons: 3,
  /** Title of a reply button. */
  buttonTitle: 20,
  /** Id of a reply button. */
  buttonId: 256,
  /** Rows of one list message, all sections together. */
  listRows: 10,
  /** Title of a list row. */
  rowTitle: 24,
  /** Description of a list row. */
  rowDescription: 72,
  /** Id of a list row. */
  rowId: 200,
  /** Text of the button that opens a list. */
  listButton: 20,
} as const;

/**
 * Text of the button that opens a list message.
 * NOTE: English only, like the message catalog in lib/messages/en.ts, which does not cover channel chrome.
 */
export const LIST_BUTTON_TEXT = 'Choose';

/**
 * Maximum length of the short body that interactive messages get when the full text went out ahead of
 * them as text, because it was longer than {@link WHATSAPP_MESSAGE_LIMITS.interactiveBody}.
 */
const SHORT_BODY_LENGTH = 80;

/**
 * Renders `message` for the WhatsApp user `to`, as the messages to send in order:
 * - without buttons, text messages of at most 4096 characters, cut at line boundaries;
 * - with at most 3 buttons whose labels fit 20 characters and differ, one reply-button message;
 * - with more or longer buttons, list messages of at most 10 rows each, keeping keyboard rows together
 *   where they fit. Several list messages start their bodies with `(1/2)`, `(2/2)`; the first carries the
 *   full text and the later ones its first line.
 *
 * A text too long for an interactive body (1024 characters) goes out first as text message(s), and the
 * interactive messages follow with the text's first line as their body. Buttons always end up in the
 * last messages, so the last message carries buttons whenever `message` has any.
 */
export function renderOutgoingMessage(to: string, message: OutgoingMessage): GraphOutgoingMessage[] {
  const text = htmlToWhatsApp(message.text);
  const rows = (message.buttons ?? []).filter((row) => row.length > 0);
  if (rows.length === 0) {
    return textMessages(to, text);
  }

  const buttons = rows.flat();
  if (fitReplyButtons(buttons)) {
    const { leading, body } = bodyFor(to, text, message.text, 0);
    return [...leading, buttonMessage(to, body, buttons)];
  }

  const chunks = packRows(rows, WHATSAPP_MESSAGE_LIMITS.listRows);
  const prefixLength = chunks.length > 1 ? `(${chunks.length}/${chunks.length}) `.length : 0;
  const { leading, body } = bodyFor(to, text, message.text, prefixLength);
  const continuation = summaryLine(message.text);
  const lists = chunks.map((chunk, index) => {
    if (chunks.length === 1) {
      return listMessage(to, body, chunk);
    }
    const partBody = index === 0 ? body : continuation;
    return listMessage(to, `(${index + 1}/${chunks.length}) ${partBody}`, chunk);
  });

  return [...leading, ...lists];
}

/** Splits WhatsApp text into text messages of at most 4096 characters, preferring line boundaries. */
export function textMessages(to: string, text: string): GraphOutgoingMessage[] {
  return splitMessage(text, WHATSAPP_MESSAGE_LIMITS.textBody).map((part) => ({
    type: 'text',
    to,
    text: { body: part },
  }));
}

/**
 * Returns the body of the interactive message(s): the whole text when it fits next to a prefix of
 * `prefixLength`, else the first line, with the whole text sent ahead as text message(s).
 */
function bodyFor(
  to: string,
  text: string,
  html: string,
  prefixLength: number,
): { leading: GraphOutgoingMessage[]; body: string } {
  if (text.trim() === '') {
    // An interactive message needs a body, and a text message of blanks would be rejected.
    return { leading: [], body: ELLIPSIS };
  }
  if (textLength(text) + prefixLength <= WHATSAPP_MESSAGE_LIMITS.interactiveBody) {
    return { leading: [], body: text };
  }

  return { leading: textMessages(to, text), body: summaryLine(html) };
}

/** Returns the first non-empty line of the reply as plain text, cut to a short body. */
function summaryLine(html: string): string {
  const line = htmlToPlainText(html)
    .split('\n')
    .map((candidate) => candidate.trim())
    .find((candidate) => candidate !== '');

  return line === undefined ? ELLIPSIS : truncateText(line, SHORT_BODY_LENGTH);
}

/** Checks whether the buttons can be reply buttons: at most 3, titles of at most 20 characters, all different. */
function fitReplyButtons(buttons: readonly ActionButton[]): boolean {
  const labels = buttons.map((button) => button.label.trim());

  return (
    buttons.length <= WHATSAPP_MESSAGE_LIMITS.replyButtons &&
    labels.every((label) => label !== '' && textLength(label) <= WHATSAPP_MESSAGE_LIMITS.buttonTitle) &&
    new Set(labels).size === labels.length
  );
}

function buttonMessage(to: string, body: string, buttons: readonly ActionButton[]): GraphButtonMessage {
  return {
    type: 'interactive',
    to,
    interactive: {
      type: 'button',
      body: { text: body },
      action: {
        buttons: buttons.map((button) => ({
          type: 'reply',
          reply: { id: button.action, title: button.label.trim() },
        })),
      },
    },
  };
}

function listMessage(to: string, body: string, buttons: readonly ActionButton[]): GraphListMessage {
  return {
    type: 'interactive',
    to,
    interactive: {
      type: 'list',
      body: { text: body },
      action: { button: LIST_BUTTON_TEXT, sections: [{ rows: buttons.map(listRow) }] },
    },
  };
}

/** Builds a list row. A label longer than a row title is cut there and shown whole (up to 72) as the description. */
export function listRow(button: ActionButton): GraphListRow {
  const label = button.label.trim();
  if (textLength(label) <= WHATSAPP_MESSAGE_LIMITS.rowTitle) {
    return { id: button.action, title: label };
  }

  return {
    id: button.action,
    title: truncateText(label, WHATSAPP_MESSAGE_LIMITS.rowTitle),
    description: truncateText(label, WHATSAPP_MESSAGE_LIMITS.rowDescription),
  };
}

/**
 * Packs keyboard rows into groups of at most `maxButtons` buttons, in order. A keyboard row stays in one
 * group unless it alone has more than `maxButtons` buttons.
 */
export function packRows(rows: readonly ActionButton[][], maxButtons: number): ActionButton[][] {
  const groups: ActionButton[][] = [];
  let current: ActionButton[] = [];

  for (const row of rows) {
    for (let start = 0; start < row.length; start += maxButtons) {
      const piece = row.slice(start, start + maxButtons);
      if (current.length + piece.length > maxButtons) {
        groups.push(current);
        current = [];
      }
      current.push(...piece);
    }
  }
  if (current.length > 0) {
    groups.push(current);
  }

  return groups;
}
