import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

/**
 * Runs cdk-nag's AWS Solutions rules on every stack of the app when it is synthesized. A finding that is
 * not acknowledged, error or warning, fails `cdk synth` and `cdk deploy` with a report of the resource and
 * the rule.
 *
 * Acknowledgments are made with `Validations.of(construct).acknowledge(...)` next to the resource they
 * concern, each with its reason. They are also written into each resource's metadata in the template
 * (`cdk_nag.rules_to_suppress`), where a reviewer of the deployed template can read them.
 */
export function addComplianceChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));
}
