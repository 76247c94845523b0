/**
 * Effect of a bounced recipient on the suppression table:
 * - `hard`: suppress at once;
 * - `soft` and `undetermined`: count, and suppress when the count reaches the limit;
 * - `already-suppressed`: SES did not try to deliver because the address is on the account-level
 *   suppression list, so record the suppression without counting a new bounce.
 */
export type BounceClass = 'hard' | 'soft' | 'undetermined' | 'already-suppressed';

// An enhanced status code (RFC 3463) inside an SMTP diagnostic, such as "smtp; 550 5.3.0 denied".
const ENHANCED_STATUS = /\b([245])\.\d{1,3}\.\d{1,3}\b/;

/**
 * Returns the enhanced status code of a bounced recipient: its `status`, or else the first code in its
 * `diagnosticCode`. Returns `undefined` when neither has one.
 */
export function enhancedStatusOf(recipient: {
  status?: string;
  diagnosticCode?: string;
}): string | undefined {
  const fromStatus = recipient.status === undefined ? undefined : ENHANCED_STATUS.exec(recipient.status)?.[0];

  return (
    fromStatus ??
    (recipient.diagnosticCode === undefined ? undefined : ENHANCED_STATUS.exec(recipient.diagnosticCode)?.[0])
  );
}

/**
 * Classifies one bounced recipient. A 5.x.x status is a permanent failure whatever label SES put on the
 * bounce: SES has labelled "550 5.3.0" bounces Transient, and trusting the label would keep sending to
 * such an address until it reached the soft-bounce limit.
 */
export function classifyBounce(
  bounceType: string,
  bounceSubType: string | undefined,
  recipient: { status?: string; diagnosticCode?: string },
): BounceClass {
  if (bounceType === 'Permanent' && bounceSubType === 'OnAccountSuppressionList') {
    return 'already-suppressed';
  }
  if (enhancedStatusOf(recipient)?.startsWith('5.') === true || bounceType === 'Permanent') {
    return 'hard';
  }
  if (bounceType === 'Transient') {
    return 'soft';
  }

  // Undetermined, or a type SES may add later: count it, as the safer of the two choices.
  return 'undetermined';
}
