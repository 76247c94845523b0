import { createInterface } from 'node:readline';
import { type ChatChannelName, type ChatInput, missingButtonHint, readChatInput } from './chat-input';
import { type ChatMediaFile, ChatMediaFileError, readPhotoFile, readVoiceFile } from './chat-media';
import type { LocalStack } from './stack';

/** One app of the terminal chat: how typed lines reach the stack and how bot replies come back. */
export interface ChatChannel {
  /** The user the chat writes as on this app, such as `the Telegram user Local (10000001)`. */
  readonly description: string;
  /**
   * Starts printing bot replies with `print`, which writes a block of lines above the prompt. Returns a
   * function that stops, called once the stack has settled at the end of the input.
   */
  watchReplies(print: (block: string) => void): () => void;
  /**
   * Returns the number of buttons or list rows of the latest reply that has any, 0 when none has. It first
   * prints replies that arrived but are not printed yet, so the count matches the printed numbers.
   */
  buttonCount(): number;
  /** Sends a text message. */
  sendText(text: string): Promise<void>;
  /** Presses button `number` (from 1, at most {@link buttonCount}) of the latest reply. */
  press(number: number): Promise<void>;
  /** Sends `file` as a voice note. */
  sendVoice(file: ChatMediaFile): Promise<void>;
  /**
   * Sends `file` as a photo, which the bot reads as a receipt. Photos with the same `mediaGroupId` form an
   * album on Telegram; WhatsApp has no albums and sends each photo alone.
   */
  sendPhoto(file: ChatMediaFile, mediaGroupId?: string): Promise<void>;
}

/** Settings of {@link runChatPrompt}. */
export interface ChatPromptOptions {
  /** The app the chat writes from until `/as` switches. It must be one of the given channels. */
  channel: ChatChannelName;
  /** Receives a function that prints a line above the prompt, for lines that are not bot replies. */
  onPrinterReady?: (print: (line: string) => void) => void;
}

/**
 * Runs a chat prompt in the terminal. Lines are handled one after another, in the order typed: text goes
 * to the current app's webhook, a number presses a button of the latest reply, and the local commands
 * `/voice FILE`, `/photo FILE`, `/album FILE FILE…` and `/as telegram|whatsapp` send media or switch apps. Replies of every
 * app in `channels` print. At the end of the input (Ctrl-D, or the end of piped lines) it waits until
 * every line is sent and the stack has settled, so their replies print, and then resolves. Ctrl-C
 * resolves at once.
 */
export function runChatPrompt(
  stack: LocalStack,
  channels: Partial<Record<ChatChannelName, ChatChannel>>,
  options: ChatPromptOptions,
): Promise<void> {
  const input = createInterface({ input: process.stdin, output: process.stdout, prompt: 'you › ' });
  // Replies that arrive after the input closed print without a prompt, which a closed readline rejects.
  let inputClosed = false;
  const print = (block: string) => {
    process.stdout.write(`\n${block}\n`);
    if (!inputClosed) {
      input.prompt(true);
    }
  };
  options.onPrinterReady?.(print);
  const watched = Object.values(channels).map((channel) => channel.watchReplies(print));
  let active = options.channel;

  const handle = async (request: ChatInput): Promise<void> => {
    const channel = channels[active]!;
    switch (request.kind) {
      case 'text':
        await channel.sendText(request.text);
        return;
      case 'number':
        await pressOrSend(stack, channel, request, print);
        return;
      case 'voice':
      case 'photo':
        await sendMedia(channel, request, print);
        return;
      case 'album':
        await sendAlbum(channel, request.files, print);
        return;
      case 'switch': {
        const next = channels[request.channel];
        if (next === undefined) {
          print(`local › /as ${request.channel} is not available in this chat.`);
          return;
        }
        active = request.channel;
        print(`local › now writing as ${next.description}.`);
        return;
      }
      case 'usage':
        print(`local › ${request.message}`);
    }
  };

  let previous: Promise<void> = Promise.resolve();
  input.on('line', (line) => {
    const text = line.trim();
    if (text === '') {
      input.prompt();
      return;
    }
    const request = readChatInput(text);
    previous = previous
      .then(() => handle(request))
      .catch((error: Error) => {
        process.stdout.write(`could not send: ${error.message}\n`);
      });
  });
  input.prompt();

  let interrupted = false;

  return new Promise((resolve) => {
    input.on('SIGINT', () => {
      interrupted = true;
      input.close();
    });
    input.on('close', () => {
      inputClosed = true;
      const finish = () => {
        for (const stopWatching of watched) {
          stopWatching();
        }
        resolve();
      };
      if (interrupted) {
        finish();
        return;
      }
      void waitForReplies(stack, previous).then(finish);
    });
  });
}

/**
 * Presses a button for a bare number when the latest reply has buttons, and sends the number as text when
 * none has. A number outside the buttons prints a local hint and sends nothing, because a mistyped press
 * would otherwise record an amount.
 */
async function pressOrSend(
  stack: LocalStack,
  channel: ChatChannel,
  request: { number: number; text: string },
  print: (block: string) => void,
): Promise<void> {
  // A person reads the replies before pressing, but piped input would otherwise race them.
  await settleQuietly(stack);
  const buttonCount = channel.buttonCount();
  if (buttonCount === 0) {
    await channel.sendText(request.text);
    return;
  }

  const hint = missingButtonHint(request.number, buttonCount);
  if (hint !== undefined) {
    print(`local › ${hint}`);
    return;
  }
  await channel.press(request.number);
}

async function sendMedia(
  channel: ChatChannel,
  request: { kind: 'voice' | 'photo'; file: string },
  print: (block: string) => void,
): Promise<void> {
  let file: ChatMediaFile;
  try {
    file = request.kind === 'voice' ? readVoiceFile(request.file) : readPhotoFile(request.file);
  } catch (error) {
    if (error instanceof ChatMediaFileError) {
      print(`local › ${error.message}`);
      return;
    }
    throw error;
  }

  await (request.kind === 'voice' ? channel.sendVoice(file) : channel.sendPhoto(file));
}

let albumCounter = 0;

/** Sends several photos as one album; no photo is sent when one of the files cannot be read. */
async function sendAlbum(
  channel: ChatChannel,
  files: string[],
  print: (block: string) => void,
): Promise<void> {
  let photos: ChatMediaFile[];
  try {
    photos = files.map((file) => readPhotoFile(file, '/album'));
  } catch (error) {
    if (error instanceof ChatMediaFileError) {
      print(`local › ${error.message}`);
      return;
    }
    throw error;
  }

  albumCounter += 1;
  const mediaGroupId = `${Date.now()}${albumCounter}`;
  for (const photo of photos) {
    await channel.sendPhoto(photo, mediaGroupId);
  }
}

/**
 * Waits until the lines read so far are posted and the stack has processed them. A settle timeout is
 * printed and not raised, so the chat still closes. `lastSend` is the tail of the chain of sends, which
 * never rejects.
 * NOTE: it does not wait for the notification queue. The notification feed prints at shutdown only the
 * notifications that reached the fake providers by then.
 */
async function waitForReplies(stack: LocalStack, lastSend: Promise<void>): Promise<void> {
  process.stdout.write('\n');
  await lastSend;
  await settleQuietly(stack);
}

async function settleQuietly(stack: LocalStack): Promise<void> {
  try {
    await stack.settle();
  } catch (error) {
    process.stdout.write(
      `error: waiting for the replies failed, so some may be missing: ${(error as Error).message}\n`,
    );
  }
}
