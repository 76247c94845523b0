import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/**
 * Returns the correlation id of a webhook request: API Gateway's `requestContext.requestId` (written as
 * `$context.requestId` in an access log format), or a new UUID when the event has none.
 */
export function correlationIdOf(
  event: Pick<APIGatewayProxyEventV2, 'requestContext'>,
  newId: () => string = randomUUID,
): string {
  const requestId = event.requestContext?.requestId;

  return typeof requestId === 'string' && requestId !== '' ? requestId : newId();
}
