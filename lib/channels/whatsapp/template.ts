/**
 * The template message that carries a reply outside the 24-hour customer-service window, when WhatsApp
 * accepts no free-form message: an approved template whose body has one `{{1}}` placeholder for the text.
 */
import type { WhatsAppTemplates } from '../../config/whatsapp';
import { htmlToPlainText } from './format';
import type { GraphTemplateMessage } from './graph-types';
import { truncateText } from './truncate';

/** Maximum length of the template parameter, in characters. Longer texts are cut and end in `…`. */
export const MAX_TEMPLATE_PARAMETER_LENGTH = 1024;

/** Text that replaces a line break in a template parameter, which must be a single line. */
const LINE_SEPARATOR = ' · ';

/**
 * Converts a reply to the text of a template parameter. Meta rejects parameters that contain new lines,
 * tabs or more than 4 consecutive spaces (error 132018). So formatting is removed, each run of line breaks
 * and tabs becomes ` · `, and each longer run of spaces becomes one space. The result is cut to 1024
 * characters.
 * @example templateParameterText('✅ Saved\n<b>Expense: 12.50 USD</b>') // '✅ Saved · Expense: 12.50 USD'
 */
export function templateParameterText(html: string): string {
  const singleLine = htmlToPlainText(html)
    .trim()
    .replace(/[^\S\r\n\t]*[\r\n\t][\s]*/g, LINE_SEPARATOR)
    .replace(/\s{5,}/g, ' ');

  return truncateText(singleLine, MAX_TEMPLATE_PARAMETER_LENGTH);
}

/** Builds the template message that carries the reply `html` to the WhatsApp user `to`. */
export function templateReply(to: string, html: string, templates: WhatsAppTemplates): GraphTemplateMessage {
  return {
    type: 'template',
    to,
    template: {
      name: templates.reply,
      language: { code: templates.language },
      components: [{ type: 'body', parameters: [{ type: 'text', text: templateParameterText(html) }] }],
    },
  };
}
