import type { IConstruct } from 'constructs';
import { inputError } from '../../internal/errors';
import { MAAS_RELEASES } from './maas-releases';

/**
 * What one MaaS release (with the payload processor build it deploys) does
 * with the library's output, as far as the output depends on it.
 */
export interface ReleaseTraits {
  /** The release as users name it, e.g. `odh-2.0`. */
  readonly release: string;
  /** Human name for messages. */
  readonly name: string;
  /** models-as-a-service ref and commit the release was read at. */
  readonly maas: string;
  /** The payload processor build the release deploys, and the commit its behaviour was read at. */
  readonly payloadProcessor: string;
  /**
   * Why the library refuses the release, when it does: the release cannot run
   * what the library emits (for example, it has no `inference.opendatahub.io` kinds).
   */
  readonly refused?: string;
  /** Weights of a model served by several providers: any, or equal nonzero weights only. */
  readonly splitWeights: 'any' | 'equal';
  /** Why the weights are restricted (upstream path), for messages. */
  readonly splitWeightsWhy: string;
  /** Target models: any id, or each the model's own id (the release routes on it). */
  readonly targetModels: 'any' | 'model-id';
  /** Why the target models are restricted (upstream path), for messages. */
  readonly targetModelsWhy: string;
  /** `auth.type` values the release's ExternalProvider accepts (its payload processor's CRD). */
  readonly authTypes: readonly string[];
}

/** The release assumed when the platform names none. */
export const DEFAULT_MAAS_RELEASE = 'odh-2.0';

/** The traits of `release`; refused with the reason, or with the supported list when unknown. */
export function resolveRelease(scope: IConstruct, release: string): ReleaseTraits {
  const traits = MAAS_RELEASES.find((r) => r.release === release);
  const supported = MAAS_RELEASES.filter((r) => r.refused === undefined).map((r) => `'${r.release}'`).join(', ');
  if (!traits) {
    throw inputError(scope, 'MaaS release', release,
      `the library knows MaaS releases ${MAAS_RELEASES.map((r) => `'${r.release}'`).join(', ')} and emits for ${supported}; name the one your cluster runs (docs/current-maas.md, "Supported releases")`);
  }
  if (traits.refused !== undefined) {
    throw inputError(scope, 'MaaS release', release, `${traits.refused}; the library emits for ${supported}`);
  }
  return traits;
}

/** "; <release> allows it" when a later supported release lifts a restriction, else "". */
export function laterReleaseFor(traits: ReleaseTraits, lifted: (other: ReleaseTraits) => boolean): string {
  const index = MAAS_RELEASES.indexOf(traits);
  const later = MAAS_RELEASES.slice(index + 1).find((r) => r.refused === undefined && lifted(r));
  return later ? `; ${later.name} allows it (release: '${later.release}')` : '';
}
