import { Tracer } from '@aws-lambda-powertools/tracer';

/** A trace segment as {@link FakeTracer} records it: everything that would reach X-Ray. */
export class FakeSegment {
  readonly subsegments: FakeSegment[] = [];
  readonly annotations: Record<string, string | number | boolean> = {};
  readonly metadata: Record<string, unknown> = {};
  readonly attributes: Record<string, unknown> = {};
  readonly flags: string[] = [];
  readonly errors: unknown[] = [];
  closed = false;

  constructor(readonly name: string) {}

  addNewSubsegment(name: string): FakeSegment {
    const subsegment = new FakeSegment(name);
    this.subsegments.push(subsegment);
    return subsegment;
  }

  addAnnotation(key: string, value: string | number | boolean): void {
    this.annotations[key] = value;
  }

  addMetadata(key: string, value: unknown, namespace = 'default'): void {
    this.metadata[`${namespace}.${key}`] = value;
  }

  addAttribute(name: string, value: unknown): void {
    this.attributes[name] = value;
  }

  addErrorFlag(): void {
    this.flags.push('error');
  }

  addFaultFlag(): void {
    this.flags.push('fault');
  }

  addThrottleFlag(): void {
    this.flags.push('throttle');
  }

  addError(error: unknown): void {
    this.errors.push(error instanceof Error ? { name: error.name, message: error.message } : error);
  }

  close(): void {
    this.closed = true;
  }

  /** This segment and every segment below it, depth first. */
  all(): FakeSegment[] {
    return [this, ...this.subsegments.flatMap((subsegment) => subsegment.all())];
  }
}

/**
 * A Powertools Tracer that records segments in memory as if it ran in Lambda, so the real middy
 * middleware and the code under test can be checked without X-Ray. Inject one per function: it keeps a
 * single current segment, as one Lambda instance does.
 */
export class FakeTracer extends Tracer {
  readonly root = new FakeSegment('facade');
  /** Constructor names of the AWS SDK clients passed to captureAWSv3Client. */
  readonly capturedClients: string[] = [];
  private current: FakeSegment | undefined;

  constructor(serviceName = 'fake') {
    // No HTTP capture: the base constructor would patch http, https and fetch in the test process.
    super({ serviceName, captureHTTPsRequests: false });
  }

  override isTracingEnabled(): boolean {
    return true;
  }

  override getSegment(): ReturnType<Tracer['getSegment']> {
    return (this.current ?? this.root) as unknown as ReturnType<Tracer['getSegment']>;
  }

  override setSegment(segment: Parameters<Tracer['setSegment']>[0]): void {
    this.current = segment as unknown as FakeSegment;
  }

  override putAnnotation(key: string, value: string | number | boolean): void {
    (this.current ?? this.root).addAnnotation(key, value);
  }

  override putMetadata(key: string, value: unknown, namespace?: string): void {
    (this.current ?? this.root).addMetadata(key, value, namespace);
  }

  override captureAWSv3Client<T>(client: T): T {
    this.capturedClients.push((client as object).constructor.name);
    return client;
  }

  /** Returns every recorded segment below the Lambda facade segment. */
  segments(): FakeSegment[] {
    return this.root.all().slice(1);
  }

  /** Returns the recorded segments named `name`. */
  named(name: string): FakeSegment[] {
    return this.segments().filter((segment) => segment.name === name);
  }

  /** Returns everything recorded as JSON, for checks that a value never reached a trace. */
  serialized(): string {
    return JSON.stringify(this.root);
  }
}
