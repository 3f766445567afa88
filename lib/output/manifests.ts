import { App } from 'cdk8s';
import { assignSyncWaves } from './sync-waves';
import { takeCheckedManifests } from '../validation/app-checks';
import { type Manifest, manifestsOf } from '../core/manifest';

/**
 * The objects `app.synth()` would write, after the same validation it runs
 * (so library checks fail here exactly as in `cdk8s synth`), in chart order,
 * every object annotated with its Argo CD sync wave.
 */
export function synthesizeManifests(app: App): Manifest[] {
  assignSyncWaves(app);
  const errors: string[] = [];
  // in cdk8s's order (the root first): the root's app checks hand each problem
  // to the construct of the object it is about, validated after the root
  for (const construct of app.node.findAll()) {
    for (const error of construct.node.validate()) errors.push(`[${construct.node.path}] ${error}`);
  }
  if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
  return takeCheckedManifests(app) ?? manifestsOf(app);
}
