import type { IConstruct } from 'constructs';
import { registerClusterScope } from './cluster-scope';
import { registerSyncWaves } from './sync-waves';
import { registerLibraryChecks } from '../validation/library-checks';

/**
 * What every library construct adds to the synthesis of its app: sync-wave
 * annotations, no namespace on cluster-scoped objects, then the synth-time
 * checks (in that order, so the checks see the objects as they are written).
 * Idempotent per app.
 */
export function registerLibrarySynthesis(scope: IConstruct): void {
  registerSyncWaves(scope);
  registerClusterScope(scope);
  registerLibraryChecks(scope);
}
