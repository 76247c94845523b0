import { en } from '../../messages/en';
import type { Action } from '../actions';
import type { ActionEvent, CommandEvent } from '../chat-event';
import type { HandlerContext } from '../handlers/context';
import { settingsView } from './notification-settings';

/** The /settings button that turns the AI summary of /stats on or off. */
export type InsightsAction = Extract<Action, { type: 'set-insights' }>;

/** Handles `/settings insights on|off` and replies with the usage to any other value. */
export async function handleInsightsCommand(
  event: CommandEvent,
  value: string,
  context: HandlerContext,
): Promise<void> {
  const { dependencies, reply, user } = context;
  const choice = value.trim().toLowerCase();
  if (choice !== 'on' && choice !== 'off') {
    await reply.send(event.chatId, { text: en.insightsUsage() });
    return;
  }

  const enabled = choice === 'on';
  await dependencies.users.setAiInsights(user.userId, enabled);
  dependencies.logger.info('Changed the AI summary setting', {
    eventKey: event.eventKey,
    userId: user.userId,
    aiInsights: enabled,
  });
  await reply.send(event.chatId, {
    text: enabled ? en.insightsOn(dependencies.ai?.insights !== undefined) : en.insightsOff(),
  });
}

/** Applies the AI summary button of the /settings message and redraws that message. */
export async function handleInsightsAction(
  action: InsightsAction,
  event: ActionEvent,
  context: HandlerContext,
): Promise<void> {
  const { dependencies, reply, user } = context;
  await reply.acknowledge(
    event.actionId,
    action.enabled ? en.insightsOn(dependencies.ai?.insights !== undefined) : en.insightsOff(),
  );
  const stored = await dependencies.users.setAiInsights(user.userId, action.enabled);
  dependencies.logger.info('Changed the AI summary setting', {
    eventKey: event.eventKey,
    userId: user.userId,
    aiInsights: action.enabled,
  });
  await reply.edit(event.target, settingsView(stored));
}
