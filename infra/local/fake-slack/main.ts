/**
 * Runs the fake Slack incoming webhooks until SIGINT or SIGTERM, with one webhook per `--webhook` name.
 * Prints `{"url":…,"webhooks":{"<name>":"<url>"}}` as one JSON line on stdout, so the output can be put
 * into SLACK_WEBHOOK_URLS, then each accepted message's fallback text on stderr.
 * Usage: npx tsx infra/local/fake-slack/main.ts [--port 0] [--webhook operations]…
 */
import { parseArgs } from 'node:util';
import { startFakeSlack } from './server';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '0' }, webhook: { type: 'string', multiple: true } },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`--port ${values.port} is invalid; pass a TCP port from 0 to 65535 (0 picks a free one).`);
  process.exit(2);
}

const fake = await startFakeSlack({ port });
const names = values.webhook ?? ['operations'];
const webhooks = Object.fromEntries(names.map((name) => [name, fake.createWebhook(name)]));
process.stdout.write(`${JSON.stringify({ url: fake.url, webhooks })}\n`);

let reported = 0;
const timer = setInterval(() => {
  for (const message of fake.messages.slice(reported)) {
    process.stderr.write(`${JSON.stringify({ webhook: message.webhook, text: message.payload.text })}\n`);
  }
  reported = fake.messages.length;
}, 200);

const shutdown = (signal: string) => {
  clearInterval(timer);
  process.stderr.write(`Fake Slack stopping on ${signal}\n`);
  fake.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('Fake Slack failed to stop cleanly', error);
      process.exit(1);
    },
  );
};
process.once('SIGINT', () => shutdown('SIGINT'));
process.once('SIGTERM', () => shutdown('SIGTERM'));
