/**
 * Scripted responses of the fake OpenAI server and OpenAI's documented error bodies. Each body has the shape
 * `{ error: { message, type, param, code } }` that the API returns and the `openai` package reads.
 */

/** OpenAI's error object. */
export interface OpenAiErrorBody {
  error: { message: string; type: string; param?: string | null; code?: string | null };
}

/** A scripted response for the next request, whichever endpoint it reaches. */
export type ScriptedResponse =
  /** 200 with this reply: the assistant message of a chat completion, or the text of a transcription. */
  | { content: string; usage?: { promptTokens: number; completionTokens: number } }
  /** An error response with OpenAI's error body and optional headers. */
  | { status: number; error: OpenAiErrorBody['error']; headers?: Record<string, string> }
  /** No response at all: the connection stays open until the client gives up, as on a timeout. */
  | { network: 'timeout' };

/** OpenAI's failure responses, with the bodies and headers that the API sends. */
export const OPENAI_FAILURES = {
  /** 429 for an account without credit. Retrying does not help until someone adds credit. */
  insufficientQuota: {
    status: 429,
    headers: {},
    error: {
      message: 'You exceeded your current quota, please check your plan and billing details.',
      type: 'insufficient_quota',
      param: null,
      code: 'insufficient_quota',
    },
  },
  /** 429 for too many requests, with `retry-after: 20`, an empty `retry-after-ms` and Go-duration resets. */
  rateLimited: {
    status: 429,
    headers: {
      'retry-after': '20',
      'retry-after-ms': '',
      'x-ratelimit-reset-requests': '6m0s',
      'x-ratelimit-reset-tokens': '76ms',
    },
    error: {
      message: 'Rate limit reached for requests',
      type: 'requests',
      param: null,
      code: 'rate_limit_exceeded',
    },
  },
  /** 503 while OpenAI is overloaded. */
  overloaded: {
    status: 503,
    headers: {},
    error: { message: 'The server is overloaded or not ready yet.', type: 'server_error' },
  },
  /** 500 for an error inside OpenAI. */
  serverError: {
    status: 500,
    headers: {},
    error: {
      message: 'The server had an error while processing your request. Sorry about that!',
      type: 'server_error',
      param: null,
      code: null,
    },
  },
  /** No response, so the client's timeout ends the request. */
  timeout: { network: 'timeout' },
} as const satisfies Record<string, ScriptedResponse>;

/** Returns the 401 body for a request without an API key. */
export function missingKeyError(): OpenAiErrorBody {
  return {
    error: {
      message:
        "You didn't provide an API key. You need to provide your API key in an Authorization header using " +
        'Bearer auth (i.e. Authorization: Bearer YOUR_KEY).',
      type: 'invalid_request_error',
      param: null,
      code: null,
    },
  };
}

/** Returns the 401 body for a wrong API key, which OpenAI masks to its first 3 and last 4 characters. */
export function invalidKeyError(presentedKey: string): OpenAiErrorBody {
  const masked =
    presentedKey.length <= 8
      ? '*'.repeat(presentedKey.length)
      : `${presentedKey.slice(0, 3)}***${presentedKey.slice(-4)}`;

  return {
    error: {
      message: `Incorrect API key provided: ${masked}. You can find your API key at https://platform.openai.com/account/api-keys.`,
      type: 'invalid_request_error',
      param: null,
      code: 'invalid_api_key',
    },
  };
}

/** Returns a 400 body for an invalid request, naming the parameter. */
export function invalidRequestError(message: string, param: string | null = null): OpenAiErrorBody {
  return { error: { message, type: 'invalid_request_error', param, code: null } };
}
