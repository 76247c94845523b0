import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { addComplianceChecks } from '../../infra/stack/compliance';
import { FinancyStack, type FinancyStackProps } from '../../infra/stack/financy-stack';
import type { Stage } from '../../infra/stack/stage';

/** Repository root. Jest compiles tests to CommonJS, so `__dirname` is defined here. */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/** A CloudFormation resource as `Template.findResources` returns it. */
export interface TemplateResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  DependsOn?: string[];
}

/**
 * Synthesizes a FinancyStack without bundling, which keeps a test run to seconds. The entry files
 * must still exist, because NodejsFunction checks them. `extend` runs after the stack is built, as a
 * later feature's constructs would.
 */
export function synthesizeStack(
  stage: Stage,
  props: Partial<FinancyStackProps> = {},
  extend?: (stack: FinancyStack) => void,
): Template {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'financy-synth-'));
  try {
    const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new FinancyStack(app, `Financy-${stage}`, { stage, projectRoot: PROJECT_ROOT, ...props });
    extend?.(stack);

    return Template.fromStack(stack);
  } finally {
    // Template keeps the parsed template in memory, so the cloud assembly on disk is no longer needed.
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** A rule violation from CDK's validation report: the rule (with its finding), its severity and where. */
export interface ComplianceFinding {
  rule: string;
  severity: string;
  constructPaths: string[];
}

interface ValidationReport {
  pluginReports: {
    violations: {
      ruleName: string;
      severity: string;
      violatingConstructs: { constructPath: string }[];
    }[];
  }[];
}

/** Result of {@link checkCompliance}. */
export interface ComplianceResult {
  /** Findings that no acknowledgment covers. */
  findings: ComplianceFinding[];
  /** The synthesized template, with each resource's acknowledgments in its `cdk_nag` metadata. */
  template: Record<string, unknown> & { Resources: Record<string, TemplateResource> };
}

/**
 * Synthesizes a FinancyStack without bundling, with the compliance checks that infra/app.ts adds, and
 * returns every finding that was not acknowledged. Synthesis fails when there are findings, so they are
 * read from the validation report that CDK writes before it fails.
 */
export function checkCompliance(
  stage: Stage,
  props: Partial<FinancyStackProps> = {},
  extend?: (stack: FinancyStack) => void,
): ComplianceResult {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'financy-nag-'));
  try {
    const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new FinancyStack(app, `Financy-${stage}`, { stage, projectRoot: PROJECT_ROOT, ...props });
    extend?.(stack);
    addComplianceChecks(app);
    const readTemplate = () =>
      JSON.parse(
        fs.readFileSync(path.join(outdir, stack.templateFile), 'utf8'),
      ) as ComplianceResult['template'];
    try {
      app.synth();
      return { findings: [], template: readTemplate() };
    } catch (error) {
      const reportPath = path.join(outdir, 'validation-report.json');
      if (!fs.existsSync(reportPath)) {
        throw error;
      }
      const report = JSON.parse(fs.readFileSync(reportPath, 'utf8')) as ValidationReport;
      const findings = report.pluginReports.flatMap((plugin) =>
        plugin.violations.map((violation) => ({
          rule: violation.ruleName,
          severity: violation.severity,
          constructPaths: violation.violatingConstructs.map((construct) => construct.constructPath),
        })),
      );
      return { findings, template: readTemplate() };
    }
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Returns the logical id and resource of every resource of a type. */
export function resourcesOf(template: Template, type: string): [string, TemplateResource][] {
  return Object.entries(template.findResources(type)) as [string, TemplateResource][];
}

/**
 * Returns the logical id of the one resource of `type` whose properties match `properties`, which may use
 * `Match`. Throws when none or several match, so a test never picks a resource by its position.
 */
export function logicalIdOf(template: Template, type: string, properties: Record<string, unknown>): string {
  const ids = Object.keys(template.findResources(type, { Properties: properties }));
  if (ids.length !== 1) {
    throw new Error(`Expected one ${type} with ${JSON.stringify(properties)}, found ${ids.length}.`);
  }

  return ids[0]!;
}

/** Returns the logical id and resource of the function with a Powertools service name. */
export function findFunction(template: Template, serviceName: string): [string, TemplateResource] {
  const functions = Object.entries(template.findResources('AWS::Lambda::Function')) as [
    string,
    TemplateResource,
  ][];
  const matches = functions.filter(
    ([, resource]) => environmentOf(resource).POWERTOOLS_SERVICE_NAME === serviceName,
  );
  if (matches.length !== 1) {
    throw new Error(
      `Expected one function with POWERTOOLS_SERVICE_NAME=${serviceName}, found ${matches.length}.`,
    );
  }

  return matches[0]!;
}

/** Returns a function resource's environment variables. */
export function environmentOf(resource: TemplateResource): Record<string, unknown> {
  const environment = resource.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined;
  return environment?.Variables ?? {};
}

/**
 * Actions that every function's role has besides its grants: writing to its own log group and sending
 * X-Ray trace data.
 */
export const BASELINE_FUNCTION_ACTIONS = [
  'logs:CreateLogStream',
  'logs:PutLogEvents',
  'xray:PutTelemetryRecords',
  'xray:PutTraceSegments',
];

/**
 * Actions of a webhook function's role: the baseline, reading one secret and sending to the inbound queue.
 * `grantSendMessages` adds the two queue lookups that the SDK may need besides `sqs:SendMessage`.
 */
export const WEBHOOK_FUNCTION_ACTIONS = [
  ...BASELINE_FUNCTION_ACTIONS,
  'secretsmanager:DescribeSecret',
  'secretsmanager:GetSecretValue',
  'sqs:GetQueueAttributes',
  'sqs:GetQueueUrl',
  'sqs:SendMessage',
].sort();

/** An IAM policy statement as the template contains it. */
export interface PolicyStatementJson {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, unknown>;
}

/** Returns every IAM statement of the inline policies attached to a function's role. */
export function statementsOfFunctionRole(
  template: Template,
  functionResource: TemplateResource,
): PolicyStatementJson[] {
  const role = functionResource.Properties?.Role as { 'Fn::GetAtt'?: [string, string] } | undefined;
  const roleId = role?.['Fn::GetAtt']?.[0];
  if (roleId === undefined) {
    throw new Error('Function has no Fn::GetAtt role reference.');
  }

  const policies = Object.values(template.findResources('AWS::IAM::Policy')) as TemplateResource[];
  const attached = policies.filter((policy) => {
    const roles = (policy.Properties?.Roles ?? []) as { Ref?: string }[];
    return roles.some((reference) => reference.Ref === roleId);
  });

  return attached.flatMap((policy) => {
    const document = policy.Properties?.PolicyDocument as { Statement: PolicyStatementJson[] };
    return document.Statement;
  });
}

/** Returns every IAM action granted by inline policies attached to a function's role. */
export function actionsOfFunctionRole(template: Template, functionResource: TemplateResource): string[] {
  return statementsOfFunctionRole(template, functionResource).flatMap((statement) => statement.Action);
}
