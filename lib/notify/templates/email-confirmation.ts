import { readInteger, readObject, readOptionalString, readString } from '../validation';
import { emailDocument, escapeHtml } from './html';
import type { NotificationTemplate } from './types';

/** Data of the e-mail address confirmation. */
export interface EmailConfirmationData {
  displayName?: string;
  /** The one-time code the user types into the chat: 6 to 8 digits. */
  code: string;
  /** Minutes until the code expires. */
  expiresInMinutes: number;
}

function parseData(value: unknown, path: string): EmailConfirmationData {
  const data = readObject(value, path, ['displayName', 'code', 'expiresInMinutes']);

  return {
    displayName: readOptionalString(data, 'displayName', path, { maxLength: 100 }),
    code: readString(data, 'code', path, { pattern: /^\d{6,8}$/, expected: 'a code of 6 to 8 digits' }),
    expiresInMinutes: readInteger(data, 'expiresInMinutes', path, 1, 1_440),
  };
}

function greeting(data: EmailConfirmationData): string {
  return data.displayName === undefined ? 'Hello,' : `Hello ${data.displayName},`;
}

/** Confirms that the user owns an e-mail address: they send the code back to the bot. */
export const emailConfirmationTemplate: NotificationTemplate<EmailConfirmationData> = {
  name: 'email-confirmation',
  parseData,
  email: {
    subject: () => 'Confirm your e-mail address for Financy',
    html: (data) =>
      emailDocument(
        'Confirm your e-mail address',
        [
          `<p>${escapeHtml(greeting(data))}</p>`,
          '<p>To confirm this e-mail address, send this code to the Financy bot:</p>',
          `<p style="font-size:28px;letter-spacing:4px"><strong>${escapeHtml(data.code)}</strong></p>`,
          `<p>The code expires in ${data.expiresInMinutes} minutes.</p>`,
          '<p>If you did not ask for it, ignore this e-mail; the address stays unconfirmed.</p>',
        ].join('\n'),
      ),
    text: (data) =>
      [
        greeting(data),
        '',
        'To confirm this e-mail address, send this code to the Financy bot:',
        '',
        data.code,
        '',
        `The code expires in ${data.expiresInMinutes} minutes.`,
        'If you did not ask for it, ignore this e-mail; the address stays unconfirmed.',
      ].join('\n'),
  },
};
