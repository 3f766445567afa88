import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { synthesizeManifests } from '../lib/output/manifests';
import { Manifest } from '../lib/core/manifest';

/** Folder of the pinned upstream CRDs and the proof of concept (outside the repo). */
export const SHARED_DIR = path.resolve(process.env.SHARED_DIR ?? path.join(__dirname, '..', '..', '..', 'shared'));
export const REPO_DIR = path.resolve(__dirname, '..', '..');

/**
 * Whether every file below SHARED_DIR/`prefix` that the tests read
 * (scripts/shared-sources.js) is there. Suites that compare with the pinned CRDs
 * or the proof of concept are skipped without them; test/global-setup.js says
 * so once per run.
 */
export function hasSharedFiles(prefix: string): boolean {
  const { SHARED_FILES } = require(path.join(REPO_DIR, 'scripts', 'shared-sources.js'));
  return SHARED_FILES
    .filter((file: { path: string }) => file.path.startsWith(prefix))
    .every((file: { path: string }) => fs.existsSync(path.join(SHARED_DIR, file.path)));
}

/** `describe` when the shared files below `prefix` are present, else `describe.skip`. */
export function describeWithShared(prefix: string): jest.Describe {
  return hasSharedFiles(prefix) ? describe : describe.skip;
}

let scratch: string | undefined;

/**
 * A temporary folder (one per test process, removed at its exit) that test
 * apps synthesize into, so no test ever writes into the repository.
 */
export function scratchOutdir(): string {
  if (!scratch) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maas-egress-test-'));
    scratch = dir;
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  return fs.mkdtempSync(path.join(scratch, 'app-'));
}

/** A fresh app with one chart; `app.synth()` writes into a temporary folder. */
export function newChart(): { app: App; chart: Chart } {
  const app = new App({ outdir: scratchOutdir() });
  return { app, chart: new Chart(app, 'test') };
}

/** Synthesizes with the same validations as `cdk8s synth`. */
export function synth(app: App): Manifest[] {
  return synthesizeManifests(app);
}

/** The one object of `kind` named `name` (and in `namespace`, when given); fails otherwise. */
export function find(manifests: readonly Manifest[], kind: string, name: string, namespace?: string): any {
  const hits = manifests.filter((m) => m.kind === kind && m.metadata.name === name
    && (namespace === undefined || m.metadata.namespace === namespace));
  if (hits.length !== 1) {
    const names = manifests.filter((m) => m.kind === kind).map((m) => `${m.metadata.namespace}/${m.metadata.name}`);
    throw new Error(`expected one ${kind} ${name}, found ${hits.length}; ${kind}s: ${names.join(', ')}`);
  }
  return hits[0];
}

/** All objects of `kind`. */
export function ofKind(manifests: readonly Manifest[], kind: string): any[] {
  return manifests.filter((m) => m.kind === kind);
}

/** Every YAML document of the files in a folder (recursively), by file. */
export function readYamlDir(dir: string): Manifest[] {
  const out: Manifest[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...readYamlDir(full));
    else if (/\.ya?ml$/.test(entry.name)) {
      for (const doc of parseAllDocuments(fs.readFileSync(full, 'utf8'))) {
        const value = doc.toJS();
        if (value && value.kind) out.push(value);
      }
    }
  }
  return out;
}

/** Every app under apps/, by folder name, as its createApp function. */
export function allApps(): Array<[string, () => App]> {
  return fs.readdirSync(path.join(REPO_DIR, 'apps'))
    .filter((name) => fs.existsSync(path.join(REPO_DIR, 'apps', name, 'main.ts')))
    .sort()
    .map((name) => [name, require(path.join(REPO_DIR, 'build', 'apps', name, 'main.js')).createApp]);
}
