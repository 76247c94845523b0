import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** Builds a JSON response. Bodies of 4xx responses say why; 5xx bodies stay generic. */
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
