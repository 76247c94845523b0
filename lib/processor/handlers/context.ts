import type { User } from '../../domain/user';
import type { ProcessorDependencies } from '../dependencies';
import type { ReplySession } from '../reply-session';

/** What every event handler receives. */
export interface HandlerContext {
  dependencies: ProcessorDependencies;
  reply: ReplySession;
  user: User;
}
