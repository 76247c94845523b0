import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { correlationIdOf } from '../../../lib/observability/correlation-id';

function eventWithRequestId(requestId: string | undefined): Pick<APIGatewayProxyEventV2, 'requestContext'> {
  return { requestContext: { requestId } as APIGatewayProxyEventV2['requestContext'] };
}

describe('correlationIdOf', () => {
  it("returns API Gateway's request id", () => {
    expect(correlationIdOf(eventWithRequestId('Zx1abcDEF='))).toBe('Zx1abcDEF=');
  });

  it('generates an id when the request id is missing', () => {
    expect(correlationIdOf(eventWithRequestId(undefined), () => 'generated-1')).toBe('generated-1');
  });

  it('generates an id when the request id is empty', () => {
    expect(correlationIdOf(eventWithRequestId(''), () => 'generated-2')).toBe('generated-2');
  });

  it('generates an id when the event has no request context', () => {
    const event = {} as Pick<APIGatewayProxyEventV2, 'requestContext'>;

    expect(correlationIdOf(event, () => 'generated-3')).toBe('generated-3');
  });

  it('generates UUIDs by default', () => {
    const first = correlationIdOf(eventWithRequestId(undefined));
    const second = correlationIdOf(eventWithRequestId(undefined));

    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(second).not.toBe(first);
  });
});
