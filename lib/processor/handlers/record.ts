import type { MessageId, OutgoingMessage } from '../../channels/channel';
import type { Transaction } from '../../domain/transaction';
import { en } from '../../messages/en';
import { parseMessage } from '../../parsing/parse-message';
import { recheckDrafts } from '../ai/recheck-drafts';
import { understandText } from '../ai/understand-text';
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
  /**
   * A message of the bot's to turn into the first reply, such as "Processing your voice message…", and a
   * line to put above that reply, such as what was heard.
   */
  placeholder?: { target: { chatId: string; messageId: MessageId }; heading?: string },
): Promise<void> {
  let pending = placeholder;
  // The first reply replaces the placeholder, under its heading; later ones are new messages.
  const answer = (message: OutgoingMessage) => {
    const first = pending;
    pending = undefined;
    if (first === undefined) {
      return reply.send(event.chatId, message);
    }
    const text = first.heading === undefined ? message.text : `${first.heading}\n\n${message.text}`;
    return reply.replace(first.target, { ...message, text });
  };
  const { dependencies, user, reply } = context;
  const local = parseMessage(text, {
    referenceTime: event.sentAt,
    timeZone: user.timeZone,
    homeCurrency: user.homeCurrency,
  });
  const { parse, source } = await understandText(
    text,
    local,
    { user, sentAt: event.sentAt, eventKey: event.eventKey },
    dependencies,
  );
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
    source,
    outcome: proposal.outcome,
    textLength: text.length,
  });
  if (proposal.outcome === 'ask') {
    await answer(proposal.message);
    return;
  }

  // The AI reads one transaction per message, so only a draft that is the message's one transaction keeps
  // the text for its re-check.
  const reviewText = proposal.transactions.length === 1 ? { reviewText: text } : {};
  for (const proposed of proposal.transactions) {
    // Without the AI an unsure parse waits for the user's confirmation, marked for a re-check.
    const candidate: Transaction =
      source === 'draft' ? { ...proposed, status: 'pending', needsAiReview: true, ...reviewText } : proposed;
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
    await answer(transactionView(transaction));
  }
  if (source === 'ai') {
    // OpenAI returned a validated transaction, so drafts stored while it was unavailable can be read again.
    await recheckDrafts(event, context);
  }
}
