import { readFileSync } from 'node:fs';
import path from 'node:path';
import { splitAddressList, suppressionKey } from '../../lib/notify/addresses';
import { classifyBounce, enhancedStatusOf } from '../../lib/notify/feedback/classify-bounce';
import {
  MalformedFeedbackError,
  parseSesFeedback,
  type SesFeedback,
} from '../../lib/notify/feedback/ses-notification';

const SES_01 = JSON.parse(
  readFileSync(
    path.resolve(__dirname, '../../events/ses-bounce-two-recipients-comma-joined-to.json'),
    'utf8',
  ),
) as { Records: { Sns: { Message: string } }[] };

describe('parseSesFeedback', () => {
  it('reads an eventType Bounce with two recipients', () => {
    const feedback = parseSesFeedback(SES_01.Records[0]!.Sns.Message) as Extract<
      SesFeedback,
      { type: 'Bounce' }
    >;

    expect(feedback.type).toBe('Bounce');
    expect(feedback.recipients.map((recipient) => recipient.address)).toEqual([
      'ana@example.com',
      'ben@example.org',
    ]);
    expect(feedback.bounceType).toBe('Permanent');
    expect(feedback.mail.sesMessageId).toBe('0100000000000000-fake-msg-000000');
  });

  it('splits the comma-joined To header', () => {
    const feedback = parseSesFeedback(SES_01.Records[0]!.Sns.Message);

    expect(feedback.type).toBe('Bounce');
    expect((feedback as Extract<SesFeedback, { type: 'Bounce' }>).mail.headerRecipientCount).toBe(2);
  });

  it('matches the type exactly and ignores others', () => {
    expect(parseSesFeedback(JSON.stringify({ notificationType: 'Complaints' }))).toEqual({
      type: 'ignored',
      notificationType: 'Complaints',
    });
    expect(parseSesFeedback(JSON.stringify({ eventType: 'Open', open: {} }))).toEqual({
      type: 'ignored',
      notificationType: 'Open',
    });
  });

  it('prefers notificationType over eventType', () => {
    const message = JSON.stringify({
      notificationType: 'Delivery',
      eventType: 'Bounce',
      delivery: { recipients: ['ana@example.com'] },
    });

    expect(parseSesFeedback(message).type).toBe('Delivery');
  });

  it.each([
    [42, 'the SNS Message is not a string'],
    ['not json', 'the SNS Message is not valid JSON'],
    ['[]', 'the SNS Message is not a JSON object'],
    ['{"mail":{}}', 'it has neither notificationType nor eventType'],
    [
      '{"notificationType":"Bounce","bounce":{"bounceType":"Permanent"}}',
      'bounce.bouncedRecipients is not an array',
    ],
    ['{"notificationType":"Complaint"}', 'a Complaint has no complaint object'],
  ])('rejects %p as malformed', (message, reason) => {
    expect(() => parseSesFeedback(message)).toThrow(MalformedFeedbackError);
    expect(() => parseSesFeedback(message)).toThrow(reason);
  });

  it('counts recipient entries without an address', () => {
    const message = JSON.stringify({
      notificationType: 'Complaint',
      complaint: {
        complainedRecipients: [{ emailAddress: 'not-an-address' }, { emailAddress: 'Ben <ben@example.org>' }],
      },
    });
    const feedback = parseSesFeedback(message) as Extract<SesFeedback, { type: 'Complaint' }>;

    expect(feedback.type).toBe('Complaint');
    expect(feedback.recipients).toEqual(['ben@example.org']);
    expect(feedback.invalidRecipients).toBe(1);
  });
});

describe('classifyBounce', () => {
  it.each([
    ['Permanent', 'General', { status: '5.1.1' }, 'hard'],
    ['Transient', 'General', { status: '5.3.0' }, 'hard'],
    ['Transient', 'General', { diagnosticCode: 'smtp; 550 5.3.0 denied' }, 'hard'],
    ['Undetermined', 'Undetermined', {}, 'undetermined'],
    ['Transient', 'MailboxFull', { status: '4.2.2' }, 'soft'],
    ['Permanent', 'OnAccountSuppressionList', {}, 'already-suppressed'],
    ['Permanent', 'Suppressed', { status: '5.1.1' }, 'hard'],
    ['SomethingNew', undefined, {}, 'undetermined'],
  ] as const)('classifies %s/%s %o as %s', (bounceType, subType, recipient, expected) => {
    expect(classifyBounce(bounceType, subType, recipient)).toBe(expected);
  });

  it('prefers the status over the diagnostic code', () => {
    expect(enhancedStatusOf({ status: '4.2.2', diagnosticCode: 'smtp; 550 5.1.1 gone' })).toBe('4.2.2');
  });
});

describe('splitAddressList', () => {
  it('splits comma-joined values and drops display names', () => {
    expect(splitAddressList(['ana@example.com, ben@example.org', '"Doe, Cy" <Cy@Example.net>'])).toEqual([
      'ana@example.com',
      'ben@example.org',
      'Cy@Example.net',
    ]);
  });

  it('keys suppression on the lower-cased address', () => {
    expect(suppressionKey('  Cy@Example.NET ')).toBe('cy@example.net');
  });
});
