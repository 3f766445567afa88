import { ApiObject, App } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { apiObjectsOf, describeManifest, type Manifest } from '../core/manifest';

/** A check over every object an app synthesizes. */
export interface ManifestCheck<I = unknown> {
  /** What the check reads from the app besides its objects (such as objects declared to exist). */
  readonly inputs: (root: IConstruct) => I;
  /**
   * Problems of the objects, one line each; a pure function of its arguments.
   * A line that starts with an object as `describeManifest` names it, then
   * `:`, is reported on the construct of that object.
   */
  readonly run: (manifests: readonly Manifest[], inputs: I) => string[];
}

interface CheckRun {
  readonly manifests: Manifest[];
  readonly inputs: string;
  readonly problems: string[];
  /** `problems` by the construct of the object each is about; the rest stay with the app. */
  readonly owned: ReadonlyMap<IConstruct, string[]>;
  readonly unowned: string[];
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
// Returns the problems that concern no object; the others are returned by the
// validation of the object's construct (cdk8s and synthesizeManifests validate
// the root first, then its descendants), so the error names the construct.
function runChecks(app: App, state: AppChecks): string[] {
  const objects = apiObjectsOf(app);
  const manifests = objects.map((object) => object.toJson() as Manifest);
  const inputs = state.checks.map((check) => check.inputs(app));
  const inputsJson = JSON.stringify(inputs);
  const last = state.last;
  let json: string | undefined;
  if (last && last.inputs === inputsJson) {
    // comparing JSON is faster than a deep comparison; a difference in key order only costs a re-run
    last.json ??= JSON.stringify(last.manifests);
    json = JSON.stringify(manifests);
    if (json === last.json) {
      state.last = { ...last, manifests, json };
      return last.unowned;
    }
  }
  const problems = state.checks.flatMap((check, i) => check.run(manifests, inputs[i]));
  const { owned, unowned } = attribute(problems, objects, manifests);
  state.last = { manifests, inputs: inputsJson, problems, owned, unowned, json };
  for (const object of owned.keys()) reportOn(object, state);
  return unowned;
}

/** Sorts problems by the construct of the object each begins with. */
function attribute(problems: readonly string[], objects: readonly ApiObject[], manifests: readonly Manifest[]) {
  const owned = new Map<IConstruct, string[]>();
  const unowned: string[] = [];
  if (problems.length === 0) return { owned, unowned };
  const byName = new Map<string, ApiObject[]>();
  manifests.forEach((manifest, i) => {
    const name = describeManifest(manifest);
    byName.set(name, [...(byName.get(name) ?? []), objects[i]]);
  });
  for (const problem of problems) {
    const colon = problem.indexOf(': ');
    // an object defined twice is reported on each of its constructs
    const owners = colon > 0 ? byName.get(problem.slice(0, colon)) : undefined;
    if (!owners) unowned.push(problem);
    for (const owner of owners ?? []) owned.set(owner, [...(owned.get(owner) ?? []), problem]);
  }
  return { owned, unowned };
}

const reporting = new WeakSet<IConstruct>();

/** Makes the validation of `object` return the problems the latest run found for it. */
function reportOn(object: IConstruct, state: AppChecks): void {
  if (reporting.has(object)) return;
  reporting.add(object);
  object.node.addValidation({ validate: () => state.last?.owned.get(object) ?? [] });
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
