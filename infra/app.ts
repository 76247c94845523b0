import { fileURLToPath } from 'node:url';
import { App, Tags } from 'aws-cdk-lib';
import { addComplianceChecks } from './stack/compliance';
import { FinancyStack } from './stack/financy-stack';
import { resolveStackSettings } from './stack/stage-settings';

// The cdk CLI runs this file with tsx as an ES module (cdk.json). The repository root is resolved
// from this file rather than the working directory, so `cdk synth` works from any folder.
const projectRoot = fileURLToPath(new URL('..', import.meta.url));

// Options come from infra/stages/<stage>.json, and `-c name=value` overrides them.
const settingsDirectory = fileURLToPath(new URL('stages', import.meta.url));

const app = new App();
const settings = resolveStackSettings(app.node, settingsDirectory);
const { stage } = settings;

new FinancyStack(app, `Financy-${stage}`, {
  ...settings,
  projectRoot,
  description:
    `Financy chat integrations (${stage}): Telegram webhook, inbound queue, processor, tables, ` +
    'FX refresh, notifications and weekly summary',
});

Tags.of(app).add('project', 'financy');
Tags.of(app).add('stage', stage);
addComplianceChecks(app);
