import type { ResponseParameters } from '@grammyjs/types';

/** An error that the fake returns as `{ ok: false, error_code, description, parameters? }`. */
export class FakeApiError extends Error {
  override readonly name = 'FakeApiError';

  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly parameters?: ResponseParameters,
  ) {
    super(description);
  }

  /** Builds the response body in Telegram's shape. */
  toBody(): Record<string, unknown> {
    const body: Record<string, unknown> = {
      ok: false,
      error_code: this.errorCode,
      description: this.description,
    };
    if (this.parameters !== undefined) {
      body.parameters = this.parameters;
    }

    return body;
  }
}

/** Builds a 400 error with Telegram's "Bad Request: " prefix. */
export function badRequest(detail: string): FakeApiError {
  return new FakeApiError(400, `Bad Request: ${detail}`);
}

/** Builds the 400 that Telegram returns for text whose formatting it cannot parse. */
export function cannotParseEntities(detail: string): FakeApiError {
  return badRequest(`can't parse entities: ${detail}`);
}

/** Returns the UTF-8 byte offset of UTF-16 index `index`, the unit Telegram's parse errors use. */
export function byteOffset(source: string, index: number): number {
  return Buffer.byteLength(source.slice(0, index), 'utf8');
}
