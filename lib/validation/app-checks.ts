import { App } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Manifest, manifestsOf } from '../output/manifests';

/** A check over every object an app synthesizes. */
export interface ManifestCheck<I = unknown> {
  /** What the check reads from the app besides its objects (such as objects declared to exist). */
  readonly inputs: (root: IConstruct) => I;
  /** Problems of the objects, one line each; a pure function of its arguments. */
  readonly run: (manifests: readonly Manifest[], inputs: I) => string[];
}

interface CheckRun {
  readonly manifests: Manifest[];
  readonly inputs: string;
  readonly problems: string[];
  /** `manifests` as JSON, computed when a later run compares with it. */
  json?: string;
}

interface AppChecks {
  readonly checks: Array<ManifestCheck<any>>;
  last?: CheckRun;
}

const checksByRoot = new WeakMap<IConstruct, AppChecks>();

/**
 * Registers `check` to run over the whole app when it is synthesized, as a
 * validation of the root construct, so `app.synth()`, `cdk8s synth` and
 * `npm run synth` all fail on a problem. Idempotent per check.
 */
export function addAppCheck<I>(scope: IConstruct, check: ManifestCheck<I>): void {
  const root = scope.node.root;
  let state = checksByRoot.get(root);
  if (!state) {
    const registered: AppChecks = { checks: [] };
    state = registered;
    checksByRoot.set(root, registered);
    root.node.addValidation({ validate: () => (root instanceof App ? runChecks(root, registered) : []) });
  }
  if (!state.checks.includes(check)) state.checks.push(check);
}

// cdk8s validates the whole app once per chart it renders, so `cdk8s synth`
// validates an app of N charts 1+N times: the problems of the last run are
// reused while the objects and every check's inputs are equal to that run's.
function runChecks(app: App, state: AppChecks): string[] {
  const manifests = manifestsOf(app);
  const inputs = state.checks.map((check) => check.inputs(app));
  const inputsJson = JSON.stringify(inputs);
  const last = state.last;
  let json: string | undefined;
  if (last && last.inputs === inputsJson) {
    // comparing JSON is faster than a deep comparison; a difference in key order only costs a re-run
    last.json ??= JSON.stringify(last.manifests);
    json = JSON.stringify(manifests);
    if (json === last.json) {
      state.last = { manifests, inputs: inputsJson, problems: last.problems, json };
      return last.problems;
    }
  }
  const problems = state.checks.flatMap((check, i) => check.run(manifests, inputs[i]));
  state.last = { manifests, inputs: inputsJson, problems, json };
  return problems;
}

/**
 * The objects of `app` as its checks saw them in their latest run, handed out
 * once (the reuse of results then starts over), so a synthesis that has just
 * validated the app need not render every object again.
 */
export function takeCheckedManifests(app: App): Manifest[] | undefined {
  const state = checksByRoot.get(app);
  const manifests = state?.last?.manifests;
  if (state) state.last = undefined;
  return manifests;
}
