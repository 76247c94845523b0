/**
 * Runs the fake Telegram Bot API until SIGINT or SIGTERM.
 * Prints `{"url":…,"token":…}` as one JSON line on stdout, then one JSON line per call on stderr.
 * Usage: npx tsx infra/local/fake-telegram/main.ts [--port 0] [--token 123:abc] [--bot-username name]
 */
import { parseArgs } from 'node:util';
import { startFakeTelegram } from './server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    token: { type: 'string' },
    'bot-username': { type: 'string' },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`--port ${values.port} is invalid; pass a TCP port from 0 to 65535 (0 picks a free one).`);
  process.exit(2);
}

const fake = await startFakeTelegram({ port, token: values.token, botUsername: values['bot-username'] });
process.stdout.write(`${JSON.stringify({ url: fake.url, token: fake.token })}\n`);

fake.on('call', (call) => {
  const response = typeof call.response === 'string' ? call.response : call.response.status;
  const { chat_id: chatId, text } = call.params;
  process.stderr.write(`${JSON.stringify({ method: call.method, response, chatId, text })}\n`);
});

const shutdown = (signal: string) => {
  process.stderr.write(`Fake Telegram stopping on ${signal}\n`);
  fake.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('Fake Telegram failed to stop cleanly', error);
      process.exit(1);
    },
  );
};
process.once('SIGINT', () => shutdown('SIGINT'));
process.once('SIGTERM', () => shutdown('SIGTERM'));
