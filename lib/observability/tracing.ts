/**
 * The tracing operations that lib/ code calls: annotations that X-Ray indexes, and subsegments around steps
 * and provider calls. The functions back it with Powertools Tracer ({@link tracingWith} in
 * `powertools-tracing.ts`). Tests and code that runs outside Lambda use {@link NO_TRACING}.
 *
 * Annotation keys are fixed to ids that identify a message, not a person: a chat id, user id, message
 * text, URL or request body never goes into a trace.
 */

/** Annotation keys, searchable in X-Ray with filter expressions such as `annotation.updateId = 42`. */
export const TRACE_ANNOTATIONS = {
  /** The chat channel, such as `telegram`. */
  channel: 'channel',
  /** Telegram's `update_id` of the update being handled. */
  updateId: 'updateId',
  /** The id that the webhook gave the request, shared by the log lines of every function that handles it. */
  correlationId: 'correlationId',
  /** The channel of a notification: `email`, `push`, `sms` or `slack`. */
  notificationKind: 'notificationKind',
  /** SES `mail.messageId` of the e-mail that an SES feedback record is about. */
  sesMessageId: 'sesMessageId',
} as const;

/** An annotation key from {@link TRACE_ANNOTATIONS}. */
export type TraceAnnotationKey = (typeof TRACE_ANNOTATIONS)[keyof typeof TRACE_ANNOTATIONS];

/** Annotations to add. Keys whose value is `undefined` are skipped. */
export type TraceAnnotations = Partial<Record<TraceAnnotationKey, string | number | undefined>>;

/**
 * X-Ray flag of a subsegment that ended with an error: `fault` for a server-side failure (5xx, network),
 * `throttle` for 429, `error` for any other client-side failure.
 */
export type TraceFailureFlag = 'error' | 'fault' | 'throttle';

/** Options of {@link Tracing.inSubsegment}. */
export interface SubsegmentOptions {
  /** Annotations of the new subsegment. */
  annotations?: TraceAnnotations;
  /** Whether the subsegment is a call to another service, shown as its own node on the X-Ray service map. */
  remote?: boolean;
  /**
   * Flag for a thrown error. The error itself, and so its message, is never recorded.
   * @default () => 'error'
   */
  failureFlag?: (error: unknown) => TraceFailureFlag;
}

/** The tracing operations that lib/ uses. */
export interface Tracing {
  /** Adds annotations to the current subsegment, such as the handler's. */
  annotate(annotations: TraceAnnotations): void;
  /** Runs `operation` in a new subsegment named `name`, and returns or rethrows its outcome. */
  inSubsegment<T>(name: string, operation: () => Promise<T>, options?: SubsegmentOptions): Promise<T>;
}

/** Tracing that records nothing, the default where no tracing is given. */
export const NO_TRACING: Tracing = {
  annotate: () => {},
  inSubsegment: (_name, operation) => operation(),
};
