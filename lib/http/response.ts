import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** Builds a JSON response. A 4xx body gives the reason, and a 5xx body stays generic. */
export function jsonResponse(
  statusCode: number,
  body: Record<string, unknown>,
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
}
