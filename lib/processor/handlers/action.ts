import type { Transaction } from '../../domain/transaction';
import { en } from '../../messages/en';
import { type Action, decodeAction } from '../actions';
import { confirmAlbum } from '../albums/confirm-album';
import type { ActionEvent } from '../chat-event';
import { categoryButtons, transactionButtons } from '../keyboards';
import { handleInsightsAction } from '../settings/insights-settings';
import { handleNotificationAction } from '../settings/notification-settings';
import type { HandlerContext } from './context';
import { transactionView } from './record';

/** How long the bot waits for a correction after ✏️ Edit. */
const EDIT_WINDOW_MS = 10 * 60 * 1_000;

async function applyToTransaction(
  action: Extract<Action, { transactionId: string }>,
  transaction: Transaction,
  event: ActionEvent,
  context: HandlerContext,
): Promise<void> {
  const { dependencies, reply, user } = context;
  const id = transaction.transactionId;
  switch (action.type) {
    case 'confirm': {
      if (transaction.status === 'confirmed') {
        await reply.acknowledge(event.actionId, en.alreadyConfirmed());
        return;
      }
      await reply.acknowledge(event.actionId);
      const confirmed =
        (await dependencies.transactions.update(user.userId, id, { status: 'confirmed' })) ?? transaction;
      await reply.edit(event.target, transactionView(confirmed));
      return;
    }
    case 'delete': {
      await reply.acknowledge(event.actionId);
      const deleted = await dependencies.transactions.delete(user.userId, id);
      await reply.edit(event.target, { text: en.deleted(deleted ?? transaction), buttons: [] });
      return;
    }
    case 'edit':
      await reply.acknowledge(event.actionId);
      await dependencies.users.setPendingAction(user.userId, {
        type: 'edit-transaction',
        transactionId: id,
        expiresAtEpochMs: dependencies.now() + EDIT_WINDOW_MS,
      });
      await reply.send(event.chatId, { text: en.editPrompt(transaction) });
      return;
    case 'choose-category':
      await reply.acknowledge(event.actionId);
      await reply.edit(event.target, {
        text: en.chooseCategory(transaction),
        buttons: categoryButtons(transaction),
      });
      return;
    case 'set-category': {
      await reply.acknowledge(event.actionId, action.category);
      const updated =
        (await dependencies.transactions.update(user.userId, id, { category: action.category })) ??
        transaction;
      if (transaction.merchant !== undefined && transaction.category !== action.category) {
        await dependencies.users.recordCategoryCorrection(user, {
          merchant: transaction.merchant,
          category: action.category,
        });
      }
      await reply.edit(event.target, {
        text: transactionView(updated).text,
        buttons: transactionButtons(updated),
      });
      return;
    }
    case 'show':
      await reply.acknowledge(event.actionId);
      await reply.edit(event.target, transactionView(transaction));
      return;
    case 'open':
      // From an album's summary, which stays as it is: the draft gets its own message and buttons.
      await reply.acknowledge(event.actionId);
      await reply.send(event.chatId, transactionView(transaction));
      return;
  }
}

/**
 * Handles a button press. The press is acknowledged first in every branch, so the client stops its
 * spinner even when the transaction is gone. Actions are resolved from the button data, never from the chat.
 */
export async function handleAction(event: ActionEvent, context: HandlerContext): Promise<void> {
  const { dependencies, reply, user } = context;
  const action = decodeAction(event.data);
  dependencies.logger.info('Button pressed', { eventKey: event.eventKey, action: action?.type ?? 'unknown' });
  if (action === undefined) {
    await reply.acknowledge(event.actionId, en.unknownAction());
    return;
  }

  if (action.type === 'set-notification' || action.type === 'notifications-off') {
    await handleNotificationAction(action, event, context);
    return;
  }

  if (action.type === 'set-insights') {
    await handleInsightsAction(action, event, context);
    return;
  }

  if (action.type === 'confirm-album') {
    await confirmAlbum(action, event, context);
    return;
  }

  if (action.type === 'set-currency') {
    await reply.acknowledge(event.actionId, action.currency);
    const updated = await dependencies.users.updateSettings(user.userId, { homeCurrency: action.currency });
    await reply.send(event.chatId, { text: en.settingsUpdated(updated) });
    return;
  }

  const transaction = await dependencies.transactions.get(user.userId, action.transactionId);
  if (transaction === undefined) {
    await reply.acknowledge(event.actionId, en.transactionGone());
    return;
  }

  await applyToTransaction(action, transaction, event, context);
}
