import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake of the Amazon SNS query API on 127.0.0.1 for Publish to a platform endpoint (`TargetArn`) and to a
 * phone number (`PhoneNumber`), which fauxqs does not implement (its Publish requires a TopicArn). It
 * responds in the XML that the AWS SDK reads. It returns SNS's documented errors: EndpointDisabled (400) for a
 * disabled endpoint, NotFound (404) for an unknown one, InvalidParameter (400) for a number that is not
 * E.164, and injected Throttled (429) or InternalError (500).
 */

/** An error response: HTTP status, SNS error code and message. */
export interface SnsFailure {
  status: number;
  code: string;
  message: string;
}

/** Documented SNS errors, for {@link FakeSns.failNext}. */
export const SNS_ERRORS = {
  throttled: { status: 429, code: 'Throttled', message: 'Rate exceeded' },
  internal: { status: 500, code: 'InternalError', message: 'Internal error' },
} as const satisfies Record<string, SnsFailure>;

/** A message that the fake accepted. */
export interface PublishedMessage {
  messageId: string;
  targetArn?: string;
  phoneNumber?: string;
  message: string;
  messageStructure?: string;
  attributes: Record<string, { dataType: string; stringValue?: string }>;
}

/** A running fake. */
export interface FakeSns {
  readonly url: string;
  readonly published: PublishedMessage[];
  /** Every request, with the status of the fake's response. */
  readonly calls: { action: string; status: number }[];
  /** Creates an enabled platform endpoint and returns its ARN. */
  createEndpoint(platform?: 'GCM' | 'APNS'): string;
  /** Disables an endpoint, as SNS does after the push service rejects its token. */
  disableEndpoint(arn: string): void;
  failNext(failure: SnsFailure, times?: number): void;
  stop(): Promise<void>;
}

const E164 = /^\+[1-9]\d{1,14}$/;

class ResponseError extends Error {
  constructor(readonly failure: SnsFailure) {
    super(failure.message);
  }
}

/** Starts the fake SNS query API on 127.0.0.1. */
export async function startFakeSns(): Promise<FakeSns> {
  const endpoints = new Map<string, { enabled: boolean }>();
  const published: PublishedMessage[] = [];
  const failures: SnsFailure[] = [];
  const calls: { action: string; status: number }[] = [];

  const publish = (params: URLSearchParams): string => {
    const injected = failures.shift();
    if (injected !== undefined) {
      throw new ResponseError(injected);
    }

    const targetArn = params.get('TargetArn') ?? undefined;
    const phoneNumber = params.get('PhoneNumber') ?? undefined;
    const message = params.get('Message');
    if (message === null || message === '') {
      throw new ResponseError({
        status: 400,
        code: 'InvalidParameter',
        message: 'Invalid parameter: Message',
      });
    }
    if (targetArn !== undefined) {
      const endpoint = endpoints.get(targetArn);
      if (endpoint === undefined) {
        throw new ResponseError({ status: 404, code: 'NotFound', message: 'Endpoint does not exist' });
      }
      if (!endpoint.enabled) {
        throw new ResponseError({ status: 400, code: 'EndpointDisabled', message: 'Endpoint is disabled' });
      }
    } else if (phoneNumber !== undefined) {
      if (!E164.test(phoneNumber)) {
        throw new ResponseError({
          status: 400,
          code: 'InvalidParameter',
          message: 'Invalid parameter: PhoneNumber Reason: input incorrectly formatted',
        });
      }
    } else {
      throw new ResponseError({
        status: 400,
        code: 'InvalidParameter',
        message: 'Invalid parameter: this fake publishes to TargetArn or PhoneNumber only',
      });
    }

    const record: PublishedMessage = {
      messageId: randomUUID(),
      targetArn,
      phoneNumber,
      message,
      messageStructure: params.get('MessageStructure') ?? undefined,
      attributes: attributesOf(params),
    };
    published.push(record);

    return `<PublishResult><MessageId>${record.messageId}</MessageId></PublishResult>`;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const params = new URLSearchParams(await readBody(request));
    try {
      if (params.get('Action') !== 'Publish') {
        throw new ResponseError({
          status: 400,
          code: 'InvalidAction',
          message: 'This fake implements Publish only',
        });
      }
      const result = publish(params);
      calls.push({ action: 'Publish', status: 200 });
      sendXml(
        response,
        200,
        `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">${result}` +
          `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
      );
    } catch (error) {
      const failure =
        error instanceof ResponseError
          ? error.failure
          : { status: 500, code: 'InternalError', message: 'Internal error' };
      calls.push({ action: params.get('Action') ?? '', status: failure.status });
      sendXml(
        response,
        failure.status,
        `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>${failure.status >= 500 ? 'Receiver' : 'Sender'}</Type>` +
          `<Code>${failure.code}</Code><Message>${failure.message}</Message></Error>` +
          `<RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
      );
    }
  };

  const server: Server = createServer((request, response) => {
    void handle(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    published,
    calls,
    createEndpoint(platform = 'GCM') {
      const arn = `arn:aws:sns:us-east-1:000000000000:endpoint/${platform}/financy/${randomUUID()}`;
      endpoints.set(arn, { enabled: true });
      return arn;
    },
    disableEndpoint(arn) {
      endpoints.set(arn, { enabled: false });
    },
    failNext(failure, times = 1) {
      failures.push(...Array.from({ length: times }, () => failure));
    },
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

function attributesOf(params: URLSearchParams): PublishedMessage['attributes'] {
  const attributes: PublishedMessage['attributes'] = {};
  for (let index = 1; params.has(`MessageAttributes.entry.${index}.Name`); index += 1) {
    const prefix = `MessageAttributes.entry.${index}`;
    attributes[params.get(`${prefix}.Name`)!] = {
      dataType: params.get(`${prefix}.Value.DataType`) ?? '',
      stringValue: params.get(`${prefix}.Value.StringValue`) ?? undefined,
    };
  }

  return attributes;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
  }

  return Buffer.concat(chunks).toString('utf8');
}

function sendXml(response: ServerResponse, status: number, xml: string): void {
  response.writeHead(status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(xml) });
  response.end(xml);
}
