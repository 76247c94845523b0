import * as path from 'node:path';
import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { Role } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { METRIC_NAMESPACE } from '../../lib/observability/metric-names';
import {
  acknowledgeRuntime,
  createExecutionRole,
  enableActiveTracing,
  NODE_22_RUNTIME_REASON,
} from './lambda-hardening';

/** Powertools log level. */
export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** Settings shared by every function of a stack. */
export interface FunctionDefaults {
  /**
   * Absolute path of the repository root: the folder with package.json, package-lock.json and
   * tsconfig.json. Function entries are resolved against it.
   */
  readonly projectRoot: string;
  /** Powertools log level (POWERTOOLS_LOG_LEVEL). */
  readonly logLevel: LogLevel;
  /** Retention of each function's log group. */
  readonly logRetention: RetentionDays;
  /** Removal policy of each function's log group. */
  readonly logRemovalPolicy: RemovalPolicy;
  /**
   * Share of invocations, from 0 to 1, that log at DEBUG level (POWERTOOLS_LOGGER_SAMPLE_RATE).
   * @default 0
   */
  readonly debugSampleRate?: number;
}

/** Properties of {@link ApplicationFunction}. */
export interface ApplicationFunctionProps {
  /** Stack-wide settings. */
  readonly defaults: FunctionDefaults;
  /**
   * Entry file, absolute or relative to `defaults.projectRoot`. It must be inside that folder and
   * export `handler`.
   */
  readonly entry: string;
  /** Powertools service name, which appears in every log line and metric. */
  readonly serviceName: string;
  /** Memory in MB, which also sets the CPU share. */
  readonly memorySize: number;
  /** Maximum run time of one invocation. */
  readonly timeout: Duration;
  /**
   * Environment variables besides the Powertools and Node.js ones set here.
   * @default - none
   */
  readonly environment?: Record<string, string>;
  /**
   * Description shown in the Lambda console.
   * @default - none
   */
  readonly description?: string;
  /**
   * Concurrency reserved for the function, which is also the most instances it may run at once.
   * @default - none, so the function shares the account's unreserved concurrency
   */
  readonly reservedConcurrentExecutions?: number;
  /**
   * Whether Powertools Tracer records outgoing HTTPS requests as trace subsegments
   * (POWERTOOLS_TRACER_CAPTURE_HTTPS_REQUESTS). Tracer stores each request's URL without the query string,
   * and the Telegram Bot API carries the bot token in the URL path (`/bot<token>/sendMessage`), so
   * turn this on only for functions whose outgoing URLs contain no secret. AWS SDK calls are traced either way.
   * @default false
   */
  readonly captureHttpsRequests?: boolean;
}

// esbuild's ESM output has no `require`, `__filename` or `__dirname`, but CommonJS dependencies bundled
// into it still use them (require() for Node built-ins; the Google Cloud clients read __dirname). The
// banner defines them before any bundled code runs.
export const ESM_REQUIRE_BANNER =
  "import { createRequire as topLevelCreateRequire } from 'node:module'; " +
  "import { fileURLToPath as topLevelFileURLToPath } from 'node:url'; " +
  "import { dirname as topLevelDirname } from 'node:path'; " +
  'const require = topLevelCreateRequire(import.meta.url); ' +
  'const __filename = topLevelFileURLToPath(import.meta.url); ' +
  'const __dirname = topLevelDirname(__filename);';

/**
 * A Node.js 22 function on ARM64, bundled locally by esbuild into one minified ES module with a
 * source map, with its own log group, X-Ray active tracing and Powertools settings.
 *
 * ES module output is needed because @middy/core 7 ships only ES modules. The AWS SDK is bundled
 * as well, so the deployed code runs the SDK version from package-lock.json that the tests used,
 * not the one in the Lambda runtime.
 *
 * The execution role may write only to the function's own log group and send X-Ray trace data. Every
 * other permission comes from `grantX` calls on the resources that the function uses.
 */
export class ApplicationFunction extends Construct {
  /** The bundled function. */
  readonly lambdaFunction: NodejsFunction;
  /** Log group that receives the function's logs. */
  readonly logGroup: LogGroup;
  /** Execution role of the function. */
  readonly role: Role;

  constructor(scope: Construct, id: string, props: ApplicationFunctionProps) {
    super(scope, id);
    const { defaults } = props;

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: defaults.logRetention,
      removalPolicy: defaults.logRemovalPolicy,
    });
    this.role = createExecutionRole(this, 'ServiceRole', this.logGroup);

    this.lambdaFunction = new NodejsFunction(this, 'Function', {
      entry: path.resolve(defaults.projectRoot, props.entry),
      handler: 'handler',
      projectRoot: defaults.projectRoot,
      depsLockFilePath: path.join(defaults.projectRoot, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      description: props.description,
      role: this.role,
      logGroup: this.logGroup,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_LOG_LEVEL: defaults.logLevel,
        POWERTOOLS_LOGGER_SAMPLE_RATE: String(defaults.debugSampleRate ?? 0),
        POWERTOOLS_METRICS_NAMESPACE: METRIC_NAMESPACE,
        POWERTOOLS_TRACER_CAPTURE_HTTPS_REQUESTS: String(props.captureHttpsRequests ?? false),
        // Stack traces point at the TypeScript sources through the bundled source map.
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        bundleAwsSDK: true,
      },
    });

    enableActiveTracing(this.lambdaFunction, this.role);
    acknowledgeRuntime(this.lambdaFunction, NODE_22_RUNTIME_REASON);
  }
}
