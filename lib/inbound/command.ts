/** A slash command split into its name and arguments. */
export interface ParsedCommand {
  /** Lower-case command name without the slash or bot username. */
  command: string;
  /** The rest of the message, trimmed. */
  args: string;
}

/** `/name`, optionally `@botusername` (Telegram groups), then arguments after white space. */
const COMMAND = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{3,64}))?(?:\s+([\s\S]*))?$/;

/** Parses a message text as a slash command, or returns `undefined` when it is not one. */
export function parseCommand(text: string): ParsedCommand | undefined {
  const match = COMMAND.exec(text.trim());
  if (match === null) {
    return undefined;
  }

  return { command: match[1]!.toLowerCase(), args: (match[3] ?? '').trim() };
}
