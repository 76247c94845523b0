/**
 * Validation of interactive reply-button and list messages, with the limits of Meta's interactive message
 * reference. A button message has 1 to 3 buttons with unique ids of at most 256 characters and unique
 * titles of 1 to 20 characters. A list has a button text of at most 20 characters and 1 to 10 rows in
 * total, with row ids of at most 200, row titles of at most 24 and descriptions of at most 72 characters.
 * Both have a body of at most 1024 characters.
 */

import { assertLength, type Json, objectAt, rejectUnknownKeys, requiredString } from './fields';
import { invalidParameter, invalidValue } from './graph-error';

const MAX_BODY_LENGTH = 1024;
const MAX_HEADER_FOOTER_LENGTH = 60;
const MAX_BUTTONS = 3;
const MAX_BUTTON_ID_LENGTH = 256;
const MAX_BUTTON_TITLE_LENGTH = 20;
const MAX_LIST_BUTTON_LENGTH = 20;
const MAX_SECTIONS = 10;
const MAX_ROWS = 10;
const MAX_ROW_ID_LENGTH = 200;
const MAX_ROW_TITLE_LENGTH = 24;
const MAX_ROW_DESCRIPTION_LENGTH = 72;
const MAX_SECTION_TITLE_LENGTH = 24;

/**
 * Validates the `interactive` object of a message.
 * @throws FakeGraphError 100 for missing or unexpected parameters, 131009 for values out of range.
 */
export function validateInteractive(interactive: Json): void {
  rejectUnknownKeys(interactive, ['type', 'header', 'body', 'footer', 'action'], 'interactive');
  const body = objectAt(interactive.body, "interactive['body']");
  rejectUnknownKeys(body, ['text'], "interactive['body']");
  assertLength(requiredString(body, 'text', "interactive['body']['text']"), 'Body text', 1, MAX_BODY_LENGTH);
  validateHeaderAndFooter(interactive);

  const action = objectAt(interactive.action, "interactive['action']");
  switch (interactive.type) {
    case 'button':
      validateButtons(action);
      return;
    case 'list':
      validateList(action);
      return;
    default:
      throw invalidParameter(
        `Param interactive['type'] ${JSON.stringify(interactive.type)} is not supported by the fake; use button or list.`,
      );
  }
}

function validateHeaderAndFooter(interactive: Json): void {
  if (interactive.header !== undefined) {
    const header = objectAt(interactive.header, "interactive['header']");
    if (header.type !== 'text') {
      throw invalidParameter("Param interactive['header']['type'] must be text in the fake.");
    }
    rejectUnknownKeys(header, ['type', 'text'], "interactive['header']");
    const text = requiredString(header, 'text', "interactive['header']['text']");
    assertLength(text, 'Header text', 1, MAX_HEADER_FOOTER_LENGTH);
  }

  if (interactive.footer !== undefined) {
    const footer = objectAt(interactive.footer, "interactive['footer']");
    rejectUnknownKeys(footer, ['text'], "interactive['footer']");
    const text = requiredString(footer, 'text', "interactive['footer']['text']");
    assertLength(text, 'Footer text', 1, MAX_HEADER_FOOTER_LENGTH);
  }
}

function validateButtons(action: Json): void {
  rejectUnknownKeys(action, ['buttons'], "interactive['action']");
  const buttons = arrayAt(action.buttons, "interactive['action']['buttons']");
  if (buttons.length < 1 || buttons.length > MAX_BUTTONS) {
    throw invalidValue(
      `Param interactive['action']['buttons'] must have 1 to ${MAX_BUTTONS} buttons; it has ${buttons.length}.`,
    );
  }

  const ids = new Set<string>();
  const titles = new Set<string>();
  for (const [index, value] of buttons.entries()) {
    const path = `interactive['action']['buttons'][${index}]`;
    const button = objectAt(value, path);
    rejectUnknownKeys(button, ['type', 'reply'], path);
    if (button.type !== 'reply') {
      throw invalidParameter(`Param ${path}['type'] must be reply.`);
    }

    const reply = objectAt(button.reply, `${path}['reply']`);
    rejectUnknownKeys(reply, ['id', 'title'], `${path}['reply']`);
    const id = requiredString(reply, 'id', `${path}['reply']['id']`);
    const title = requiredString(reply, 'title', `${path}['reply']['title']`);
    assertLength(id, 'Button id', 1, MAX_BUTTON_ID_LENGTH);
    assertLength(title, 'Button title', 1, MAX_BUTTON_TITLE_LENGTH);
    if (/^\s|\s$/.test(id)) {
      throw invalidValue(`Button id of ${path} must not start or end with whitespace.`);
    }
    if (ids.has(id)) {
      throw invalidValue(`Button ids must be unique; "${id}" appears more than once.`);
    }
    if (titles.has(title)) {
      throw invalidValue('Button titles must be unique within the message.');
    }

    ids.add(id);
    titles.add(title);
  }
}

function validateList(action: Json): void {
  rejectUnknownKeys(action, ['button', 'sections'], "interactive['action']");
  const button = requiredString(action, 'button', "interactive['action']['button']");
  assertLength(button, 'List button text', 1, MAX_LIST_BUTTON_LENGTH);

  const sections = arrayAt(action.sections, "interactive['action']['sections']");
  if (sections.length < 1 || sections.length > MAX_SECTIONS) {
    throw invalidValue(
      `Param interactive['action']['sections'] must have 1 to ${MAX_SECTIONS} sections; it has ${sections.length}.`,
    );
  }

  const rowIds = new Set<string>();
  for (const [index, value] of sections.entries()) {
    const path = `interactive['action']['sections'][${index}]`;
    const section = objectAt(value, path);
    rejectUnknownKeys(section, ['title', 'rows'], path);
    validateSectionTitle(section, path, sections.length);

    const rows = arrayAt(section.rows, `${path}['rows']`);
    if (rows.length === 0) {
      throw invalidValue(`Param ${path}['rows'] must have at least 1 row.`);
    }

    for (const [rowIndex, rowValue] of rows.entries()) {
      const id = validateRow(rowValue, `${path}['rows'][${rowIndex}]`);
      if (rowIds.has(id)) {
        throw invalidValue(`Row ids must be unique across all sections; "${id}" appears more than once.`);
      }
      rowIds.add(id);
    }
  }

  if (rowIds.size > MAX_ROWS) {
    throw invalidValue(`A list message can have at most ${MAX_ROWS} rows in total; it has ${rowIds.size}.`);
  }
}

function validateSectionTitle(section: Json, path: string, sectionCount: number): void {
  if (section.title === undefined) {
    if (sectionCount > 1) {
      throw invalidParameter(
        `The parameter ${path}['title'] is required when a list has more than one section.`,
      );
    }
    return;
  }

  const title = requiredString(section, 'title', `${path}['title']`);
  assertLength(title, 'Section title', 1, MAX_SECTION_TITLE_LENGTH);
}

/** Validates one list row and returns its id. */
function validateRow(value: unknown, path: string): string {
  const row = objectAt(value, path);
  rejectUnknownKeys(row, ['id', 'title', 'description'], path);
  const id = requiredString(row, 'id', `${path}['id']`);
  const title = requiredString(row, 'title', `${path}['title']`);
  assertLength(id, 'Row id', 1, MAX_ROW_ID_LENGTH);
  assertLength(title, 'Row title', 1, MAX_ROW_TITLE_LENGTH);

  if (row.description !== undefined) {
    if (typeof row.description !== 'string') {
      throw invalidParameter(`Param ${path}['description'] must be a string.`);
    }
    assertLength(row.description, 'Row description', 0, MAX_ROW_DESCRIPTION_LENGTH);
  }

  return id;
}

function arrayAt(value: unknown, path: string): unknown[] {
  if (value === undefined || value === null) {
    throw invalidParameter(`The parameter ${path} is required.`);
  }
  if (!Array.isArray(value)) {
    throw invalidParameter(`Param ${path} must be an array.`);
  }

  return value;
}
