import { Tracer } from '@aws-lambda-powertools/tracer';
import type { TraceAnnotations, TraceFailureFlag, Tracing } from './tracing';

type Segment = NonNullable<ReturnType<Tracer['getSegment']>>;

/**
 * Creates the Powertools Tracer of a function. It traces only inside Lambda, because Powertools Tracer 2.36
 * turns itself off when `AWS_EXECUTION_ENV` is unset, so tests and the local stack need no X-Ray daemon.
 *
 * Automatic capture of outgoing HTTP(S) and fetch requests is off: a Bot API URL is
 * `/bot<token>/<method>`, and the captured subsegment would store the bot token as the URL's path.
 * Provider calls get subsegments without a URL from the resilience layer instead.
 */
export function createFunctionTracer(serviceName: string): Tracer {
  return new Tracer({ serviceName, captureHTTPsRequests: false });
}

/**
 * Adapts a Powertools Tracer to {@link Tracing}. Subsegments follow Powertools' manual pattern: open one
 * under the current segment, make it current, and restore the parent afterwards. That is correct while
 * the steps it wraps run one after another, as the processor's records and their attempts do.
 */
export function tracingWith(tracer: Tracer): Tracing {
  return {
    annotate(annotations) {
      if (!tracer.isTracingEnabled()) {
        return;
      }

      for (const [key, value] of definedAnnotations(annotations)) {
        tracer.putAnnotation(key, value);
      }
    },

    async inSubsegment(name, operation, options = {}) {
      const parent = tracer.isTracingEnabled() ? tracer.getSegment() : undefined;
      if (parent === undefined) {
        return operation();
      }

      const subsegment = parent.addNewSubsegment(name);
      if (options.remote) {
        subsegment.addAttribute('namespace', 'remote');
      }
      for (const [key, value] of definedAnnotations(options.annotations ?? {})) {
        subsegment.addAnnotation(key, value);
      }

      tracer.setSegment(subsegment);
      try {
        return await operation();
      } catch (error) {
        // Only a flag: the error's message may carry a chat id or a provider's description of our request.
        flag(subsegment, options.failureFlag?.(error) ?? 'error');
        throw error;
      } finally {
        subsegment.close();
        tracer.setSegment(parent);
      }
    },
  };
}

function definedAnnotations(annotations: TraceAnnotations): [string, string | number][] {
  return Object.entries(annotations).filter((entry): entry is [string, string | number] => {
    return entry[1] !== undefined;
  });
}

function flag(subsegment: Segment, failureFlag: TraceFailureFlag): void {
  if (failureFlag === 'fault') {
    subsegment.addFaultFlag();
    return;
  }

  // X-Ray counts a throttle as a client error as well.
  subsegment.addErrorFlag();
  if (failureFlag === 'throttle') {
    subsegment.addThrottleFlag();
  }
}
