/**
 * Validation of `POST /{phone-number-id}/messages` bodies, with Meta's limits and error codes: 100 for a
 * missing or unexpected parameter, 131009 for a value out of range, 132xxx for template problems.
 * Paths in error details use Meta's notation, such as `text['body']`.
 *
 * NOTE: Meta does not say whether its character limits count UTF-16 units or code points. The fake counts
 * UTF-16 units (`String.length`), the stricter reading, so text that passes here passes on Meta too.
 */
import { type Json, objectAt, rejectUnknownKeys, requiredString } from './fields';
import { FakeGraphError, invalidParameter, invalidValue } from './graph-error';
import { validateInteractive } from './interactive';
import type { FakeTemplate } from './types';

/** Maximum text body length, per the Cloud API text message reference. */
export const MAX_TEXT_BODY_LENGTH = 4096;

/** Maximum length of a template body after its parameters are filled in. */
export const MAX_TEMPLATE_BODY_LENGTH = 1024;

const MESSAGE_KEYS = [
  'messaging_product',
  'recipient_type',
  'to',
  'type',
  'context',
  'text',
  'interactive',
  'template',
  'biz_opaque_callback_data',
];

/** A message body that passed validation. */
export interface ValidatedMessage {
  to: string;
  /** `to` without `+`, spaces, dashes and brackets. */
  waId: string;
  type: 'text' | 'interactive' | 'template';
}

/**
 * Validates a message body as Meta does.
 * @throws FakeGraphError with Meta's code and details that name the parameter and the limit.
 */
export function validateMessage(body: Json, templates: readonly FakeTemplate[]): ValidatedMessage {
  rejectUnknownKeys(body, MESSAGE_KEYS, 'message');
  const recipientType = body.recipient_type;
  if (recipientType !== undefined && recipientType !== 'individual') {
    throw invalidValue(`Param recipient_type must be "individual"; got ${JSON.stringify(recipientType)}.`);
  }

  const to = requiredString(body, 'to', 'to');
  const waId = normalizeWaId(to);
  if (!/^\d{6,15}$/.test(waId)) {
    throw invalidValue(`Param to must be a phone number in international format or a wa_id; got "${to}".`);
  }

  if (body.context !== undefined) {
    const context = objectAt(body.context, 'context');
    rejectUnknownKeys(context, ['message_id'], 'context');
    requiredString(context, 'message_id', "context['message_id']");
  }

  const type = body.type ?? 'text';
  switch (type) {
    case 'text':
      validateText(body);
      return { to, waId, type: 'text' };
    case 'interactive':
      validateInteractive(objectAt(body.interactive, 'interactive'));
      return { to, waId, type: 'interactive' };
    case 'template':
      validateTemplate(objectAt(body.template, 'template'), templates);
      return { to, waId, type: 'template' };
    default:
      throw invalidParameter(
        `Param type ${JSON.stringify(type)} is not supported by the fake; use text, interactive or template.`,
      );
  }
}

function validateText(body: Json): void {
  const text = objectAt(body.text, 'text');
  rejectUnknownKeys(text, ['body', 'preview_url'], 'text');
  const content = requiredString(text, 'body', "text['body']");
  if (content.length > MAX_TEXT_BODY_LENGTH) {
    throw invalidParameter(
      `Param text['body'] must be at most ${MAX_TEXT_BODY_LENGTH} characters long; it is ${content.length}.`,
    );
  }

  if (text.preview_url !== undefined && typeof text.preview_url !== 'boolean') {
    throw invalidParameter("Param text['preview_url'] must be a boolean.");
  }
}

function validateTemplate(template: Json, templates: readonly FakeTemplate[]): void {
  rejectUnknownKeys(template, ['name', 'language', 'components', 'namespace'], 'template');
  const name = requiredString(template, 'name', "template['name']");
  const language = objectAt(template.language, "template['language']");
  const code = requiredString(language, 'code', "template['language']['code']");

  const approved = templates.find((candidate) => candidate.name === name && candidate.language === code);
  if (approved === undefined) {
    const languages = templates
      .filter((candidate) => candidate.name === name)
      .map((candidate) => candidate.language);
    const reason =
      languages.length === 0
        ? `template name (${name}) does not exist in ${code}`
        : `template name (${name}) does not exist in ${code}; it is approved in ${languages.join(', ')}`;
    throw new FakeGraphError(132001, { details: reason });
  }

  const parameters = bodyParameters(template.components);
  const expected = placeholderCount(approved.body);
  if (parameters.length !== expected) {
    throw new FakeGraphError(132000, {
      details: `body: number of localizable_params (${parameters.length}) does not match the expected number of params (${expected})`,
    });
  }

  // Meta rejects parameters with line breaks, tabs or runs of spaces, a common failure for prose parameters.
  if (parameters.some((text) => /[\n\t]| {5,}/.test(text))) {
    throw new FakeGraphError(132018, {
      details: 'Param text cannot have new-line/tab characters or more than 4 consecutive spaces',
    });
  }

  const hydrated = approved.body.replace(
    /\{\{(\d+)\}\}/g,
    (_match, index: string) => parameters[Number(index) - 1] ?? '',
  );
  if (hydrated.length > MAX_TEMPLATE_BODY_LENGTH) {
    throw new FakeGraphError(132005, {
      details: `Translated text is ${hydrated.length} characters long, above the ${MAX_TEMPLATE_BODY_LENGTH} that a template body allows.`,
    });
  }
}

/** Reads the text parameters of the body component, in order. */
function bodyParameters(components: unknown): string[] {
  if (components === undefined) {
    return [];
  }
  if (!Array.isArray(components)) {
    throw invalidParameter("Param template['components'] must be an array.");
  }

  const texts: string[] = [];
  for (const [index, value] of components.entries()) {
    const path = `template['components'][${index}]`;
    const component = objectAt(value, path);
    rejectUnknownKeys(component, ['type', 'parameters'], path);
    if (component.type !== 'body') {
      throw invalidParameter(
        `Param ${path}['type'] ${JSON.stringify(component.type)} is not supported by the fake; use body.`,
      );
    }

    const parameters = component.parameters ?? [];
    if (!Array.isArray(parameters)) {
      throw invalidParameter(`Param ${path}['parameters'] must be an array.`);
    }

    for (const [parameterIndex, parameterValue] of parameters.entries()) {
      const parameterPath = `${path}['parameters'][${parameterIndex}]`;
      const parameter = objectAt(parameterValue, parameterPath);
      rejectUnknownKeys(parameter, ['type', 'text'], parameterPath);
      if (parameter.type !== 'text') {
        throw invalidParameter(`Param ${parameterPath}['type'] must be text in the fake.`);
      }
      texts.push(requiredString(parameter, 'text', `${parameterPath}['text']`, 131008));
    }
  }

  return texts;
}

function placeholderCount(body: string): number {
  return new Set(body.match(/\{\{\d+\}\}/g) ?? []).size;
}

/** Turns a phone number in international format into a wa_id: digits only, without `+`, spaces, dashes and brackets. */
export function normalizeWaId(phoneNumber: string): string {
  return phoneNumber.replace(/[\s()+-]/g, '');
}
