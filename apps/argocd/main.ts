import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { ArgoCdApplication } from '../../lib';

/** Options of the Argo CD app. */
export interface ArgoCdAppOptions {
  /** Repository that holds dist/ (default: env ARGOCD_REPO_URL, else `repository` of package.json). */
  readonly repoUrl?: string;
  /** Revision to deploy (default: env ARGOCD_TARGET_REVISION, else 'HEAD'). */
  readonly targetRevision?: string;
  /** Apps to deploy, by folder name (default: every other app in apps/). */
  readonly apps?: string[];
}

const THIS_APP = path.basename(__dirname);

/** The repository root: the nearest folder above this file with a package.json (from apps/ or build/apps/). */
function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

/** The repository URL from ARGOCD_REPO_URL or the `repository` field of package.json, if either is set. */
export function configuredRepoUrl(): string | undefined {
  if (process.env.ARGOCD_REPO_URL) return process.env.ARGOCD_REPO_URL;
  const repository = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')).repository;
  const url: unknown = typeof repository === 'string' ? repository : repository?.url;
  return typeof url === 'string' && url.length > 0 ? url.replace(/^git\+/, '') : undefined;
}

/** Why `npm run synth` skips this app: only when no repository URL is configured. */
export function skipReason(): string | undefined {
  return configuredRepoUrl() ? undefined : 'no repository URL; set "repository" in package.json or ARGOCD_REPO_URL';
}

/** Every other app of this repository, by folder name. */
function otherApps(): string[] {
  const appsDir = path.join(repoRoot(), 'apps');
  return fs.readdirSync(appsDir)
    .filter((name) => name !== THIS_APP && fs.existsSync(path.join(appsDir, name, 'main.ts')))
    .sort();
}

/**
 * One Argo CD Application per app of this repository, each deploying its
 * `dist/<app>/` folder. This app's own output (`dist/argocd/`) is applied once
 * by hand (`kubectl apply -k dist/argocd`) and is never deployed by itself.
 */
export function createApp(options: ArgoCdAppOptions = {}): App {
  const repoUrl = options.repoUrl ?? configuredRepoUrl();
  if (!repoUrl) throw new Error(`apps/${THIS_APP}: ${skipReason()}`);
  const targetRevision = options.targetRevision ?? process.env.ARGOCD_TARGET_REVISION;
  const app = new App();
  const chart = new Chart(app, THIS_APP);
  for (const name of options.apps ?? otherApps()) {
    if (name === THIS_APP) throw new Error(`apps/${THIS_APP}: an Application for dist/${THIS_APP} would deploy itself; leave it out`);
    new ArgoCdApplication(chart, name, { repoUrl, path: `dist/${name}`, targetRevision });
  }
  return app;
}

if (require.main === module) createApp().synth();
