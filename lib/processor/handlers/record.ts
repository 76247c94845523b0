import type { Transaction } from '../../domain/transaction';
import { en } from '../../messages/en';
import { parseMessage } from '../../parsing/parse-message';
import type { TextEvent } from '../chat-event';
import { convertTransaction } from '../conversion';
import { transactionButtons } from '../keyboards';
import { proposeTransactions } from '../proposal';
import type { HandlerContext } from './context';

/** Shows a stored transaction with the text for its status and its buttons. */
export function transactionView(transaction: Transaction) {
  const text =
    transaction.status === 'pending'
      ? en.proposal(transaction)
      : transaction.status === 'confirmed'
        ? en.confirmed(transaction)
        : en.saved(transaction);

  return { text, buttons: transactionButtons(transaction) };
}

/**
 * Parses a message, stores the transactions it describes (saved or pending confirmation) and replies
 * with each one, or requests the missing details.
 */
export async function recordFromText(
  event: Pick<TextEvent, 'eventKey' | 'chatId' | 'messageId' | 'sentAt' | 'sender'>,
  text: string,
  context: HandlerContext,
  explicit: boolean,
): Promise<void> {
  const { dependencies, user, reply } = context;
  const parse = parseMessage(text, {
    referenceTime: event.sentAt,
    timeZone: user.timeZone,
    homeCurrency: user.homeCurrency,
  });
  const proposal = proposeTransactions(parse, {
    userId: user.userId,
    eventKey: event.eventKey,
    source: { channel: event.sender.channel, chatId: event.chatId, messageId: event.messageId },
    nowMs: dependencies.now(),
    explicit,
  });
  dependencies.logger.info('Parsed message', {
    eventKey: event.eventKey,
    kind: parse.kind,
    confidence: parse.confidence,
    flags: parse.flags,
    outcome: proposal.outcome,
    textLength: text.length,
  });
  if (proposal.outcome === 'ask') {
    await reply.send(event.chatId, proposal.message);
    return;
  }

  for (const candidate of proposal.transactions) {
    // Converted before the write, at the rate of the transaction's date. A redelivered update may read a
    // newer rate, but the conditional create keeps the first stored conversion.
    const conversion = await convertTransaction(candidate, user.homeCurrency, dependencies);
    // The transaction names the marker its reply will write, so no second write is needed after sending.
    const { transaction, created } = await dependencies.transactions.create({
      ...candidate,
      ...(conversion === undefined ? {} : { conversion }),
      replyMarkerKey: reply.nextMarkerKey(),
    });
    dependencies.logger.info(created ? 'Stored transaction' : 'Transaction already stored', {
      eventKey: event.eventKey,
      transactionId: transaction.transactionId,
      status: transaction.status,
      conversion: transaction.conversion?.status ?? 'none',
    });
    await reply.send(event.chatId, transactionView(transaction));
  }
}
