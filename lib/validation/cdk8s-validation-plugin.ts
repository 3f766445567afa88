import { describeManifest, type Manifest } from '../core/manifest';
import { integrityProblems } from './integrity';
import { duplicateObjectProblems, schemaProblems } from './library-checks';
import { meteringProblems } from './metering-checks';
import { MAAS_DEFAULT_GATEWAY_REF, type ObjectRef, parseObjectRef } from '../core/object-index';

// The parts of cdk8s-cli's validation plugin contract (cdk8s-cli lib/plugins/validation.d.ts)
// that the plugin uses, so that the library does not depend on cdk8s-cli at run time.
interface PluginContext {
  readonly manifests: readonly string[];
  readonly report: {
    addViolation(violation: {
      ruleName: string; recommendation: string; fix: string;
      violatingResources: Array<{ resourceName: string; locations: string[]; manifestPath: string }>;
    }): void;
    submit(status: 'success' | 'failure', metadata?: Record<string, string>): void;
  };
  parseManifest(manifestPath: string): unknown[];
}

/** Properties given in cdk8s.yaml (`validations[].properties`). */
export interface MaasEgressValidationProperties {
  /** Objects made outside these manifests, as `[group/]Kind/namespace/name`; the MaaS default gateway always counts. */
  readonly existing?: string[];
}

const RULES: Array<[string, string, (manifests: readonly Manifest[], existing: readonly ObjectRef[]) => string[]]> = [
  ['crd-schema', 'make the object valid against its pinned CRD (the message names the field)', (m) => schemaProblems(m)],
  ['duplicate-object', 'give each object its own name', (m) => duplicateObjectProblems(m)],
  ['references', 'fix the reference, or declare the object in existing', (m, e) => integrityProblems(m, e, (ref) =>
    `if it is made outside these manifests, add "${ref.group ? `${ref.group}/` : ''}${ref.kind}/${ref.namespace ?? ''}/${ref.name}" to the plugin's existing`)],
  ['unmetered-route', 'put every provider route under an AuthPolicy and a TokenRateLimitPolicy of every tier', (m) => meteringProblems(m)],
];

/**
 * The library's checks as a cdk8s-cli validation plugin, for `cdk8s synth --validate`
 * on any manifests. In cdk8s.yaml:
 * `validations: [{ package: ./node_modules/cdk8s-maas-egress/build/lib/validation/cdk8s-validation-plugin.js,
 *   class: MaasEgressValidation, version: <the installed version> }]`.
 */
export class MaasEgressValidation {
  private readonly existing: ObjectRef[];

  constructor(properties: MaasEgressValidationProperties = {}) {
    this.existing = [MAAS_DEFAULT_GATEWAY_REF, ...(properties.existing ?? []).map((given) => {
      try {
        return parseObjectRef(given);
      } catch (error) {
        throw new Error(`maas-egress validation: ${(error as Error).message}`);
      }
    })];
  }

  public async validate(context: PluginContext): Promise<void> {
    const located: Array<{ manifest: Manifest; file: string }> = context.manifests.flatMap((file) =>
      (context.parseManifest(file) as Manifest[]).filter((m) => m && m.kind && m.metadata).map((manifest) => ({ manifest, file })));
    const manifests = located.map((l) => l.manifest);
    const fileOf = new Map(located.map((l) => [describeManifest(l.manifest), l]));
    let failed = false;
    for (const [ruleName, fix, run] of RULES) {
      for (const problem of run(manifests, this.existing)) {
        failed = true;
        const subject = problem.slice(0, Math.max(0, problem.indexOf(': ')));
        const where = fileOf.get(subject);
        context.report.addViolation({
          ruleName: `maas-egress/${ruleName}`,
          recommendation: problem,
          fix,
          violatingResources: where ? [{ resourceName: where.manifest.metadata.name, locations: ['/'], manifestPath: where.file }] : [],
        });
      }
    }
    context.report.submit(failed ? 'failure' : 'success');
  }
}
