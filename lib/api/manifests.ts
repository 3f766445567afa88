import { App } from 'cdk8s';
import { demoCredentialValues } from '../credentials/provider-credential';
import { credentialFindings } from '../validation/credential-scan';
import { manifestProblems } from '../validation/library-checks';
import type { ObjectRef } from '../core/object-index';
import { writeManifestFolder } from '../output/manifest-folder';
import { synthesizeManifests } from '../output/manifests';
import { describeManifest, type Manifest } from '../core/manifest';
import { SYNC_WAVE_ANNOTATION, syncWave } from '../core/sync-wave';

/**
 * The synthesized objects of an app, and what the library does with them:
 * synthesize with its checks, write the per-object folder, check any
 * manifests, scan them for credentials. Static members only.
 */
export class Manifests {
  /** Annotation by which Argo CD applies the objects of one sync in order, lowest wave first. */
  public static readonly SYNC_WAVE_ANNOTATION = SYNC_WAVE_ANNOTATION;

  /**
   * The objects `app.synth()` would write, after the same validation it runs
   * (construct validations, the library's checks), with sync waves and
   * cluster scope applied; nothing is written. Throws listing every problem.
   */
  public static synthesize(app: App): Manifest[] {
    return synthesizeManifests(app);
  }

  /**
   * Writes one file per object into `dir`, named by sync wave, kind, namespace
   * and name, and a `kustomization.yaml` listing them in apply order; files an
   * earlier write left are removed. Returns the files written.
   */
  public static writeFolder(dir: string, manifests: Manifest[]): string[] {
    return writeManifestFolder(dir, manifests);
  }

  /** `Kind namespace/name` of an object, as messages name it. */
  public static describe(manifest: Manifest): string {
    return describeManifest(manifest);
  }

  /**
   * The library's checks on any manifests (CRD schemas, duplicates,
   * references, unmetered routes), one line per problem; `existing` names
   * objects made outside them.
   */
  public static problems(manifests: Manifest[], existing?: ObjectRef[]): string[] {
    return manifestProblems(manifests, existing);
  }

  /**
   * Credentials in manifests: secret-shaped strings that are not among
   * `demoValues`, demo values in objects without the demo annotation, and
   * Secrets with data. One line per finding.
   */
  public static credentialFindings(manifests: Manifest[], demoValues: string[]): string[] {
    return credentialFindings(manifests, demoValues);
  }

  /** Every key given through `ProviderCredential.demoLiteral` and bound in `app`. */
  public static demoValuesOf(app: App): string[] {
    return demoCredentialValues(app);
  }

  /** The library's sync wave (apply phase) of a kind; unknown kinds go last. */
  public static syncWaveOf(kind: string): number {
    return syncWave(kind);
  }

  private constructor() {}
}
