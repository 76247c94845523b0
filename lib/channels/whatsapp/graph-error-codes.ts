/**
 * Meta's Graph API error codes and what each one means for the caller: the error kind, Meta's title, the
 * default wait for rate limits and the next step that error messages name. Meta documents the `code` as
 * the value to build error handling on, because the HTTP status of most WhatsApp errors is 400.
 */

/**
 * Meaning of a failed call for the caller:
 * - `window-closed`: the user last wrote more than 24 hours ago, so only a template message is delivered.
 * - `undeliverable`: the recipient cannot receive messages from this number (not on WhatsApp, blocked,
 *   not in a test number's allowed list, or the sender itself).
 * - `rate-limited`: a Meta rate limit rejected the request; retry after `retryAfterMs`.
 * - `auth`: the access token, its permissions or the business number's setup is wrong. Every call fails
 *   the same way until an operator fixes the configuration.
 * - `template`: the template is missing, paused, disabled or got the wrong parameters.
 * - `media`: Meta could not download or upload a media file, or a media URL or id expired.
 * - `invalid-request`: the request itself is wrong (a parameter, the message type, a policy block).
 * - `transient`: Meta failed on its side, the response was not Graph API JSON, or no response arrived.
 */
export type GraphErrorKind =
  | 'window-closed'
  | 'undeliverable'
  | 'rate-limited'
  | 'auth'
  | 'template'
  | 'media'
  | 'invalid-request'
  | 'transient';

/** Meaning of one Graph API error code. */
export interface CodeRule {
  kind: GraphErrorKind;
  /** Meta's title of the code, used when the response's `message` carries none. */
  title: string;
  /** Wait before a retry when Meta names none, for rate-limit codes. */
  defaultRetryAfterMs?: number;
}

// Waits for rate limits that Meta documents without a reset time. The pair limit follows Meta's
// throughput guide (about one message every 6 s to the same user). The others are estimates: the app,
// account and spam limits are rolling windows, so a minute lets the message go back to the queue.
const PAIR_RATE_LIMIT_WAIT_MS = 6_000;
const ROLLING_WINDOW_WAIT_MS = 60_000;

/** Wait before a retry, in ms, for a rate limit whose code names no default and whose headers name none. */
export const THROUGHPUT_WAIT_MS = 1_000;

/** Codes from Meta's WhatsApp Cloud API and Graph API error code references. */
const CODE_RULES: ReadonlyMap<number, CodeRule> = new Map<number, CodeRule>([
  [131047, { kind: 'window-closed', title: 'Re-engagement message' }],
  [131026, { kind: 'undeliverable', title: 'Message undeliverable' }],
  [131030, { kind: 'undeliverable', title: 'Recipient phone number not in allowed list' }],
  [131021, { kind: 'undeliverable', title: 'Recipient cannot be sender' }],
  [130429, { kind: 'rate-limited', title: 'Rate limit hit', defaultRetryAfterMs: THROUGHPUT_WAIT_MS }],
  [
    131048,
    { kind: 'rate-limited', title: 'Spam rate limit hit', defaultRetryAfterMs: ROLLING_WINDOW_WAIT_MS },
  ],
  [
    131056,
    { kind: 'rate-limited', title: 'Pair rate limit hit', defaultRetryAfterMs: PAIR_RATE_LIMIT_WAIT_MS },
  ],
  [4, { kind: 'rate-limited', title: 'API Too Many Calls', defaultRetryAfterMs: ROLLING_WINDOW_WAIT_MS }],
  [80007, { kind: 'rate-limited', title: 'Rate limit issues', defaultRetryAfterMs: ROLLING_WINDOW_WAIT_MS }],
  [
    613,
    {
      kind: 'rate-limited',
      title: 'Calls exceeded the rate limit',
      defaultRetryAfterMs: ROLLING_WINDOW_WAIT_MS,
    },
  ],
  [0, { kind: 'auth', title: 'AuthException' }],
  [3, { kind: 'auth', title: 'API Method' }],
  [10, { kind: 'auth', title: 'Permission denied' }],
  [102, { kind: 'auth', title: 'API Session' }],
  [190, { kind: 'auth', title: 'Access token has expired' }],
  // The business phone number (not the recipient) is not registered with Cloud API: a setup error.
  [133010, { kind: 'auth', title: 'Account not registered' }],
  [132000, { kind: 'template', title: 'Number of parameters does not match the expected number of params' }],
  [132001, { kind: 'template', title: 'Template does not exist' }],
  [132005, { kind: 'template', title: 'Translated text too long' }],
  [132007, { kind: 'template', title: 'Template format character policy violated' }],
  [132012, { kind: 'template', title: 'Template parameter format mismatch' }],
  [132015, { kind: 'template', title: 'Template is paused' }],
  [132016, { kind: 'template', title: 'Template is disabled' }],
  // Sent, among other cases, for a parameter with a newline, a tab or more than 4 consecutive spaces.
  [132018, { kind: 'template', title: 'There was an issue with the parameters in your template' }],
  [131052, { kind: 'media', title: 'Media download error' }],
  [131053, { kind: 'media', title: 'Media upload error' }],
  [100, { kind: 'invalid-request', title: 'Invalid parameter' }],
  [131008, { kind: 'invalid-request', title: 'Required parameter is missing' }],
  [131009, { kind: 'invalid-request', title: 'Parameter value is not valid' }],
  [131051, { kind: 'invalid-request', title: 'Unsupported message type' }],
  [131045, { kind: 'invalid-request', title: 'Incorrect certificate' }],
  [368, { kind: 'invalid-request', title: 'Temporarily blocked for policies violations' }],
  [1, { kind: 'transient', title: 'API Unknown' }],
  [2, { kind: 'transient', title: 'API Service' }],
  [131000, { kind: 'transient', title: 'Something went wrong' }],
  [131016, { kind: 'transient', title: 'Service unavailable' }],
  [131057, { kind: 'transient', title: 'Account in maintenance mode' }],
]);

/** Next step for the caller, per kind, which ends every default error message. */
export const NEXT_STEP: Readonly<Record<GraphErrorKind, string>> = {
  'window-closed':
    'the user last wrote more than 24 hours ago, so send an approved template instead of a free-form message',
  undeliverable:
    'the recipient cannot receive messages from this number, so stop sending to them; retries fail the same way',
  'rate-limited': 'wait before resending, and send less often to this recipient or from this number',
  auth:
    'check the WhatsApp access token, its whatsapp_business_messaging permission and the phone number id; ' +
    'every call fails until the configuration is fixed',
  template:
    'check the template name, language and parameter count against the approved template in WhatsApp Manager',
  media: 'request the media again, or ask the user to send the file again',
  'invalid-request': 'fix the request, because resending it unchanged fails again',
  transient: 'Meta failed on its side, so retry later',
};

/** Looks up the rule of a Graph API error code, `undefined` for a code not in Meta's references. */
export function ruleFor(code: number): CodeRule | undefined {
  // Graph API codes 200 to 299 are all permission errors.
  if (code >= 200 && code <= 299) {
    return { kind: 'auth', title: 'API Permission' };
  }

  return CODE_RULES.get(code);
}

/** Derives the kind from the HTTP status alone, for a response without a known error code. */
export function kindOfStatus(status: number): GraphErrorKind {
  if (status === 429) {
    return 'rate-limited';
  }
  if (status === 401) {
    return 'auth';
  }

  return status === 408 || status >= 500 || status < 400 ? 'transient' : 'invalid-request';
}
