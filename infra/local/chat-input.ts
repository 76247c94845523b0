/**
 * Reads a line typed into the terminal chat: a local command that never reaches the bot, a number that
 * presses a button, or text for the bot.
 */

/** The apps the terminal chat can write as. */
export const CHAT_CHANNEL_NAMES = ['telegram', 'whatsapp'] as const;

/** An app the terminal chat can write as. */
export type ChatChannelName = (typeof CHAT_CHANNEL_NAMES)[number];

/** The request of one typed line. */
export type ChatInput =
  | { kind: 'text'; text: string }
  /** A bare number, which presses a button when the latest reply has buttons. */
  | { kind: 'number'; number: number; text: string }
  | { kind: 'voice'; file: string }
  | { kind: 'photo'; file: string }
  /** Photos sent together, as a Telegram album. */
  | { kind: 'album'; files: string[] }
  | { kind: 'switch'; channel: ChatChannelName }
  /** A local command typed wrong, with a `message` that shows the right form. */
  | { kind: 'usage'; message: string };

/** The line printed at start about the local commands. */
export const LOCAL_COMMANDS_HINT =
  'Local commands: /voice FILE sends a voice note (try test/fixtures/voice/lunch-subway.ogg), /photo FILE ' +
  'a receipt photo (try test/fixtures/receipts/images/diner.png), /album FILE FILE… several photos as one ' +
  'album, /as telegram or /as whatsapp switches the app you write from.';

/** Reads one trimmed, non-empty line. Bot commands such as `/link` stay text. */
export function readChatInput(line: string): ChatInput {
  if (/^\d+$/.test(line)) {
    return { kind: 'number', number: Number(line), text: line };
  }

  const command = /^\/(voice|photo|album|as)(?:\s+(.*))?$/i.exec(line);
  if (command === null) {
    return { kind: 'text', text: line };
  }

  const name = command[1]!.toLowerCase();
  const argument = command[2]?.trim() ?? '';
  if (name === 'as') {
    const channel = CHAT_CHANNEL_NAMES.find((candidate) => candidate === argument.toLowerCase());
    return channel === undefined
      ? { kind: 'usage', message: `/as needs an app: /as telegram or /as whatsapp (got "${argument}").` }
      : { kind: 'switch', channel };
  }
  if (name === 'album') {
    // File names are split at spaces, so a path with spaces needs /photo.
    const files = argument.split(/\s+/).filter((file) => file !== '');
    return files.length < 2
      ? {
          kind: 'usage',
          message:
            '/album needs two or more files, such as /album test/fixtures/receipts/images/diner.png ' +
            'test/fixtures/receipts/images/pharmacy.png.',
        }
      : { kind: 'album', files };
  }
  if (argument === '') {
    return {
      kind: 'usage',
      message:
        name === 'voice'
          ? '/voice needs a file, such as /voice test/fixtures/voice/lunch-subway.ogg.'
          : '/photo needs a file, such as /photo test/fixtures/receipts/images/diner.png.',
    };
  }

  return name === 'voice' ? { kind: 'voice', file: argument } : { kind: 'photo', file: argument };
}

/**
 * Returns the local hint for a number that matches none of the `buttonCount` buttons of the latest reply,
 * or `undefined` when it matches one.
 */
export function missingButtonHint(number: number, buttonCount: number): string | undefined {
  if (number >= 1 && number <= buttonCount) {
    return undefined;
  }

  return `no button ${number}; the last reply has ${buttonCount}. Nothing was sent.`;
}
