import type { User } from '../../domain/user';
import type { ProcessorDependencies } from '../dependencies';
import type { ReplySession } from '../reply-session';

/** Arguments of every event handler. */
export interface HandlerContext {
  dependencies: ProcessorDependencies;
  reply: ReplySession;
  user: User;
}
