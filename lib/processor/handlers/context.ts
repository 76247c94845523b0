import type { User } from '../../domain/user';
import type { ProcessorDependencies } from '../dependencies';
import type { ReplySession } from '../reply-session';

/** Arguments of every event handler. */
export interface HandlerContext {
  dependencies: ProcessorDependencies;
  reply: ReplySession;
  user: User;
  /** Id that the event's log lines carry, passed on to the notifications that the event causes. */
  correlationId: string;
}
