import { Validations } from 'aws-cdk-lib';
import { type IRole, Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction, Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/**
 * Reason for keeping the functions on Node.js 22 although cdk-nag's AwsSolutions-L1 requires the newest
 * runtime, written once so that every acknowledgment gives the same one.
 */
export const NODE_22_RUNTIME_REASON =
  'Node.js 22 is a deliberate choice: the whole toolchain, the local stack and the tests run on Node 22 ' +
  '(the node@22 devDependency), and several dependencies (openai 7, @middy/core 7) ' +
  'are tested on it. The runtime moves to a newer Node.js version together with the toolchain, not alone.';

/**
 * Returns an execution role for one function that may only write to that function's log group.
 *
 * It replaces the AWSLambdaBasicExecutionRole managed policy that CDK attaches by default, which lets a
 * function create any log group and write to every log group in the account.
 */
export function createExecutionRole(scope: Construct, id: string, logGroup: ILogGroup): Role {
  const role = new Role(scope, id, {
    assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    description: `Execution role of ${scope.node.path}: writes its own log group, plus the grants it is given`,
  });
  logGroup.grantWrite(role);

  return role;
}

/**
 * Turns on X-Ray active tracing for a function and grants its role what the Lambda service needs to send
 * the trace data.
 *
 * The permission is a policy of its own rather than a statement in the role's default policy. The
 * AwsSolutions-IAM5 acknowledgment of its `Resource: *` therefore covers X-Ray only, and cdk-nag still
 * reports a wildcard that a later grant adds to the default policy. The function depends on the policy
 * because Lambda checks the role's X-Ray permissions when it creates a function with active tracing.
 */
export function enableActiveTracing(lambdaFunction: LambdaFunction, role: IRole): void {
  const cfnFunction = lambdaFunction.node.defaultChild as CfnFunction;
  cfnFunction.tracingConfig = { mode: 'Active' };

  const policy = new Policy(lambdaFunction, 'XRayWritePolicy', {
    statements: [
      new PolicyStatement({
        actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
        resources: ['*'],
      }),
    ],
  });
  policy.attachToRole(role);
  lambdaFunction.node.addDependency(policy);

  Validations.of(policy).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'xray:PutTraceSegments and xray:PutTelemetryRecords accept no resource ARN: the Service Authorization ' +
      'Reference lists no resource type for them, so IAM requires Resource "*". This policy contains nothing else.',
  });
}

/**
 * Records that a function's runtime is chosen on purpose, for cdk-nag's AwsSolutions-L1. The
 * acknowledgment goes on the function resource only, not on its children.
 */
export function acknowledgeRuntime(lambdaFunction: LambdaFunction, reason: string): void {
  Validations.of(lambdaFunction.node.defaultChild as CfnFunction).acknowledge({
    id: 'AwsSolutions-L1',
    reason,
  });
}

/**
 * Returns the default policy of a role, where `grantX` calls put their statements, so that an
 * acknowledgment of a wildcard from a grant covers that policy and not the role's other policies.
 */
export function defaultPolicyOf(role: IRole): Construct {
  return role.node.tryFindChild('DefaultPolicy') ?? role;
}
