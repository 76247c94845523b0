import { randomBytes } from 'node:crypto';

/** Meta's title and HTTP status of an error code, from the Cloud API and Graph API error code references. */
interface CodeInfo {
  title: string;
  status: number;
  details: string;
}

const CODES: ReadonlyMap<number, CodeInfo> = new Map<number, CodeInfo>([
  [1, { title: 'API Unknown', status: 400, details: 'Invalid request or possible server error.' }],
  [
    2,
    { title: 'API Service', status: 503, details: 'Temporary due to downtime or due to being overloaded.' },
  ],
  [3, { title: 'API Method', status: 500, details: 'Capability or permissions issue.' }],
  [4, { title: 'API Too Many Calls', status: 400, details: 'The app has reached its API call rate limit.' }],
  [
    10,
    {
      title: 'Permission denied',
      status: 403,
      details: 'Permission is either not granted or has been removed.',
    },
  ],
  [
    100,
    {
      title: 'Invalid parameter',
      status: 400,
      details: 'The request included one or more unsupported or misspelled parameters.',
    },
  ],
  [190, { title: 'Access token has expired', status: 401, details: 'Your access token has expired.' }],
  [
    200,
    {
      title: 'API Permission',
      status: 403,
      details: 'Permission is either not granted or has been removed.',
    },
  ],
  [
    368,
    {
      title: 'Temporarily blocked for policies violations',
      status: 403,
      details:
        'The WhatsApp Business Account associated with the app has been restricted or disabled for violating a platform policy.',
    },
  ],
  [
    613,
    {
      title: 'Calls to this api have exceeded the rate limit',
      status: 400,
      details: 'Calls to this API have exceeded the rate limit.',
    },
  ],
  [
    80007,
    {
      title: 'Rate limit issues',
      status: 400,
      details: 'The WhatsApp Business Account has reached its rate limit.',
    },
  ],
  [
    130429,
    { title: 'Rate limit hit', status: 400, details: 'Cloud API message throughput has been reached.' },
  ],
  [
    131000,
    {
      title: 'Something went wrong',
      status: 500,
      details: 'Message failed to send due to an unknown error.',
    },
  ],
  [
    131008,
    {
      title: 'Required parameter is missing',
      status: 400,
      details: 'The request is missing a required parameter.',
    },
  ],
  [
    131009,
    {
      title: 'Parameter value is not valid',
      status: 400,
      details: 'One or more parameter values are invalid.',
    },
  ],
  [131016, { title: 'Service unavailable', status: 503, details: 'A service is temporarily unavailable.' }],
  [
    131021,
    {
      title: 'Recipient cannot be sender',
      status: 400,
      details: 'Sender and recipient phone number is the same.',
    },
  ],
  [131026, { title: 'Message undeliverable', status: 400, details: 'Unable to deliver message.' }],
  [
    131030,
    {
      title: 'Recipient phone number not in allowed list',
      status: 400,
      details: 'Recipient phone number not in allowed list.',
    },
  ],
  [
    131045,
    {
      title: 'Incorrect certificate',
      status: 400,
      details: 'Message failed to send due to a phone number registration error.',
    },
  ],
  [
    131047,
    {
      title: 'Re-engagement message',
      status: 400,
      details:
        'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
    },
  ],
  [
    131048,
    {
      title: 'Spam rate limit hit',
      status: 400,
      details:
        'Message failed to send because there are restrictions on how many messages can be sent from this phone number.',
    },
  ],
  [131051, { title: 'Unsupported message type', status: 400, details: 'Unsupported message type.' }],
  [
    131052,
    { title: 'Media download error', status: 400, details: 'Unable to download the media sent by the user.' },
  ],
  [
    131053,
    { title: 'Media upload error', status: 400, details: 'Unable to upload the media used in the message.' },
  ],
  [
    131056,
    {
      title: '(Business Account, Consumer Account) pair rate limit hit',
      status: 400,
      details:
        'Too many messages sent from the sender phone number to the same recipient phone number in a short period of time.',
    },
  ],
  [
    131057,
    {
      title: 'Account in maintenance mode',
      status: 500,
      details: 'Business Account is in maintenance mode.',
    },
  ],
  [
    132000,
    {
      title: 'Number of parameters does not match the expected number of params',
      status: 400,
      details:
        'The number of variable parameter values included in the request did not match the number of variable parameters defined in the template.',
    },
  ],
  [
    132001,
    {
      title: 'Template name does not exist in the translation',
      status: 404,
      details: 'Template name does not exist in the translation.',
    },
  ],
  [132005, { title: 'Translated text too long', status: 400, details: 'Translated text is too long.' }],
  [
    132007,
    {
      title: 'Template Format Character Policy Violated',
      status: 400,
      details: 'Template content violates a WhatsApp policy.',
    },
  ],
  [
    132012,
    {
      title: 'Parameter format does not match format in the created template',
      status: 400,
      details: 'Variable parameter values formatted incorrectly.',
    },
  ],
  [
    132015,
    {
      title: 'Template is Paused',
      status: 400,
      details: 'Template is paused due to low quality so it cannot be sent in a template message.',
    },
  ],
  [
    132016,
    {
      title: 'Template is Disabled',
      status: 400,
      details: 'Template has been paused too many times due to low quality and is now permanently disabled.',
    },
  ],
  [
    132018,
    {
      title: 'There was an issue with the parameters in your template',
      status: 400,
      details: 'Template parameters are invalid.',
    },
  ],
  [
    133010,
    {
      title: 'Account not registered',
      status: 400,
      details: 'The phone number is not registered on the WhatsApp Business Platform.',
    },
  ],
]);

/** An error that the fake returns in Graph API's shape. */
export class FakeGraphError extends Error {
  override readonly name = 'FakeGraphError';
  readonly status: number;
  readonly title: string;
  readonly details: string;
  readonly subcode: number | undefined;
  /** Graph API error type, `OAuthException` for most WhatsApp errors. */
  readonly type: string;

  constructor(
    readonly code: number,
    options: { status?: number; details?: string; subcode?: number; title?: string; type?: string } = {},
  ) {
    const info = CODES.get(code);
    const title = options.title ?? info?.title ?? `Error ${code}`;
    super(`(#${code}) ${title}`);
    this.title = title;
    this.status = options.status ?? info?.status ?? 400;
    this.details = options.details ?? info?.details ?? title;
    this.subcode = options.subcode;
    this.type = options.type ?? 'OAuthException';
  }

  /** Builds the response body: `{ error: { message, type, code, error_data, error_subcode?, fbtrace_id } }`. */
  toBody(): Record<string, unknown> {
    const error: Record<string, unknown> = {
      message: this.message,
      type: this.type,
      code: this.code,
      error_data: { messaging_product: 'whatsapp', details: this.details },
      fbtrace_id: randomBytes(12).toString('base64url'),
    };
    if (this.subcode !== undefined) {
      error.error_subcode = this.subcode;
    }

    return { error };
  }
}

/** Builds error 100 for a missing or unexpected parameter, with details that name it. */
export function invalidParameter(details: string): FakeGraphError {
  return new FakeGraphError(100, { details });
}

/** Builds error 131009 for a parameter whose value is out of range, with details that name the limit. */
export function invalidValue(details: string): FakeGraphError {
  return new FakeGraphError(131009, { details });
}

/** Builds the 401 that Meta returns for a missing or wrong access token. */
export function invalidToken(): FakeGraphError {
  return new FakeGraphError(190, {
    status: 401,
    title: 'Invalid OAuth access token - Cannot parse access token',
    details: 'The access token is missing, malformed or not valid for this app.',
  });
}

/** Builds the error for `GET`/`POST` on an object id that does not exist, such as an expired media id. */
export function unknownObject(method: 'get' | 'post', id: string): FakeGraphError {
  return new FakeGraphError(100, {
    subcode: 33,
    type: 'GraphMethodException',
    title:
      `Unsupported ${method} request. Object with ID '${id}' does not exist, cannot be loaded due to missing ` +
      'permissions, or does not support this operation',
    details: `Object ${id} does not exist or is not accessible with this access token.`,
  });
}
