import Decimal from 'decimal.js';
import { AmountPrecisionError, toMinorUnits } from '../../domain/money';
import type { Transaction } from '../../domain/transaction';
import { en } from '../../messages/en';
import { parseMessage } from '../../parsing/parse-message';
import type { TransactionChanges } from '../../store/transaction-store';
import type { EditedTextEvent, TextEvent } from '../chat-event';
import { transactionButtons } from '../keyboards';
import { isShownLinkCode } from '../linking/link-codes';
import { handleLinkCommand } from '../linking/link-command';
import { confirmEmailCode, pendingConfirmationCode } from '../settings/notification-settings';
import type { HandlerContext } from './context';
import { recordFromText, transactionView } from './record';

/** Maximum length of a description taken from a correction, in characters. */
const MAX_DESCRIPTION_LENGTH = 200;

/** Returns true when a correction has words besides the amount and a currency code or symbol. */
function hasWordsBesidesMoney(text: string): boolean {
  return /\p{L}{2,}/u.test(text.replace(/\b[A-Za-z]{3}\b/g, ' '));
}

/**
 * Turns a correction such as `15.20`, `15.20 EUR` or `lunch with Ana` into changes: an amount replaces the
 * amount (and the currency when one is named), words replace the description.
 */
function correctionChanges(
  text: string,
  transaction: Transaction,
  context: HandlerContext,
): TransactionChanges | undefined {
  const parse = parseMessage(text, {
    referenceTime: new Date(context.dependencies.now()),
    timeZone: context.user.timeZone,
    homeCurrency: transaction.currency,
  });
  if (parse.amount === null) {
    const description = text.trim().slice(0, MAX_DESCRIPTION_LENGTH);
    return description === '' ? undefined : { description };
  }

  const currency = parse.currency ?? transaction.currency;
  try {
    const changes: TransactionChanges = {
      amountMinor: toMinorUnits(new Decimal(parse.amount).abs().toString(), currency),
      currency,
    };
    // A bare amount such as `15.20` or `15.20 EUR` keeps the description: the parser would otherwise
    // describe it with its kind label ("Expense").
    if (hasWordsBesidesMoney(text) && parse.description.trim() !== '') {
      changes.description = parse.description.trim().slice(0, MAX_DESCRIPTION_LENGTH);
    }

    return changes;
  } catch {
    return undefined;
  }
}

async function applyPendingEdit(event: TextEvent, context: HandlerContext): Promise<boolean> {
  const { user, dependencies, reply } = context;
  const pending = user.pendingAction;
  if (pending === undefined) {
    return false;
  }

  await dependencies.users.setPendingAction(user.userId, undefined);
  if (pending.expiresAtEpochMs < dependencies.now()) {
    return false;
  }

  const transaction = await dependencies.transactions.get(user.userId, pending.transactionId);
  if (transaction === undefined) {
    await reply.send(event.chatId, { text: en.transactionGone() });
    return true;
  }

  const changes = correctionChanges(event.text, transaction, context);
  if (changes === undefined) {
    await reply.send(event.chatId, { text: en.editPrompt(transaction) });
    await dependencies.users.setPendingAction(user.userId, pending);
    return true;
  }

  // The corrected view sent below becomes the transaction's reply, so an edit of it updates that one.
  const updated = await dependencies.transactions.update(user.userId, transaction.transactionId, {
    ...changes,
    replyMarkerKey: reply.nextMarkerKey(),
  });
  if (updated === undefined) {
    await reply.send(event.chatId, { text: en.transactionGone() });
    return true;
  }

  dependencies.logger.info('Corrected transaction', {
    eventKey: event.eventKey,
    transactionId: updated.transactionId,
  });
  await reply.send(event.chatId, { text: en.updated(updated), buttons: transactionButtons(updated) });

  return true;
}

/**
 * Handles a plain message: an e-mail confirmation code while one is awaited, then a pending correction,
 * otherwise a new transaction.
 */
export async function handleText(event: TextEvent, context: HandlerContext): Promise<void> {
  const code = pendingConfirmationCode(context.user, event.text, context.dependencies.now());
  if (code !== undefined) {
    await confirmEmailCode(event, code, context);
    return;
  }
  if (await applyPendingEdit(event, context)) {
    return;
  }
  if (isShownLinkCode(event.text)) {
    // A code pasted without /link in front: link as if the command had been sent.
    await handleLinkCommand({ ...event, type: 'command', command: 'link', args: event.text.trim() }, context);
    return;
  }

  await recordFromText(event, event.text, context, false);
}

/**
 * Handles an edited message: the transaction recorded from it is updated in place instead of a second one
 * being created. An edit of a message that produced no transaction is treated as a new message.
 */
export async function handleEditedText(event: EditedTextEvent, context: HandlerContext): Promise<void> {
  const { dependencies, user, reply } = context;
  const existing = await dependencies.transactions.findBySource({
    channel: event.sender.channel,
    chatId: event.chatId,
    messageId: event.messageId,
  });
  if (existing === undefined) {
    await recordFromText(event, event.text, context, false);
    return;
  }

  const parse = parseMessage(event.text, {
    referenceTime: event.sentAt,
    timeZone: user.timeZone,
    homeCurrency: user.homeCurrency,
  });
  if (parse.amount === null || parse.currency === null || parse.kind === 'none') {
    await reply.send(event.chatId, { text: en.askForDetails() });
    return;
  }

  let amountMinor: number;
  try {
    amountMinor = toMinorUnits(new Decimal(parse.amount).abs().toString(), parse.currency);
  } catch (error) {
    if (!(error instanceof AmountPrecisionError)) {
      throw error;
    }
    await reply.send(event.chatId, { text: en.askToConfirmPrecision(parse.amount, parse.currency) });
    return;
  }

  const updated = await dependencies.transactions.update(user.userId, existing.transactionId, {
    amountMinor,
    currency: parse.currency,
    kind: parse.kind,
    description: parse.description,
    merchant: parse.merchant ?? undefined,
    category: parse.category ?? existing.category,
    date: parse.date,
  });
  if (updated === undefined) {
    await reply.send(event.chatId, { text: en.transactionGone() });
    return;
  }

  dependencies.logger.info('Updated transaction from edited message', {
    eventKey: event.eventKey,
    transactionId: updated.transactionId,
  });
  const shown =
    updated.replyMarkerKey === undefined
      ? undefined
      : await dependencies.idempotency.getMarker(updated.replyMarkerKey);
  if (typeof shown?.messageId === 'number' || typeof shown?.messageId === 'string') {
    await reply.edit({ chatId: event.chatId, messageId: shown.messageId }, transactionView(updated));
  }
  await reply.send(event.chatId, { text: en.updated(updated) });
}
