import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { localLambdaContext } from './lambda-context';

/** A Lambda handler behind an HTTP API route. */
export type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** A route: `METHOD /path`, the function name for logs and its handler. */
export interface GatewayRoute {
  method: string;
  path: string;
  functionName: string;
  handler: HttpHandler;
  timeoutSeconds: number;
}

/** A running local gateway. */
export interface LocalGateway {
  url: string;
  stop(): Promise<void>;
}

/** Content types API Gateway passes as text; anything else arrives base64-encoded. */
const TEXT_CONTENT_TYPES =
  /^(text\/|application\/(json|xml|x-www-form-urlencoded)|application\/[a-z.+-]*\+json)/i;

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function encodedBody(body: Buffer, textual: boolean): string | undefined {
  if (body.length === 0) {
    return undefined;
  }

  return textual ? body.toString('utf8') : body.toString('base64');
}

/**
 * Builds an API Gateway HTTP API payload 2.0 event as AWS does: lower-cased header names, repeated headers
 * joined with commas, the client address in `requestContext.http.sourceIp`, and a base64 body unless the
 * content type is textual.
 */
export function toHttpApiEvent(
  request: IncomingMessage,
  body: Buffer,
  routeKey: string,
): APIGatewayProxyEventV2 {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const headers: Record<string, string> = {};
  for (let index = 0; index < request.rawHeaders.length; index += 2) {
    const name = request.rawHeaders[index]!.toLowerCase();
    const value = request.rawHeaders[index + 1]!;
    headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  const textual = TEXT_CONTENT_TYPES.test(headers['content-type'] ?? '');
  const queryStringParameters: Record<string, string> = {};
  for (const [name, value] of url.searchParams) {
    queryStringParameters[name] =
      queryStringParameters[name] === undefined ? value : `${queryStringParameters[name]},${value}`;
  }
  const now = new Date();

  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: url.search === '' ? undefined : queryStringParameters,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? '127.0.0.1',
      domainPrefix: 'local',
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: encodedBody(body, textual),
    isBase64Encoded: body.length > 0 && !textual,
  };
}

/** Starts an HTTP server on 127.0.0.1 that invokes route handlers with HTTP API events. */
export async function startLocalGateway(routes: GatewayRoute[], port = 0): Promise<LocalGateway> {
  const server: Server = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const route = routes.find((candidate) => candidate.method === request.method && candidate.path === path);
    if (route === undefined) {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: 'Not Found' }));
      return;
    }

    try {
      const body = await readBody(request);
      const event = toHttpApiEvent(request, body, `${route.method} ${route.path}`);
      const result = await route.handler(event, localLambdaContext(route.functionName, route.timeoutSeconds));
      response.writeHead(result.statusCode ?? 200, (result.headers ?? {}) as Record<string, string>);
      response.end(result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? ''));
    } catch {
      // API Gateway returns this body for an unhandled function error.
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: 'Internal Server Error' }));
    }
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${address.port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
