import * as fs from 'fs';
import * as path from 'path';
import { configuredRepoUrl, createApp, skipReason } from '../../apps/argocd/main';
import { ofKind, REPO_DIR, synth } from '../helpers';

const REPO = 'https://git.example.com/platform/maas-egress.git';
const otherApps = fs.readdirSync(path.join(REPO_DIR, 'apps'))
  .filter((name) => name !== 'argocd' && fs.existsSync(path.join(REPO_DIR, 'apps', name, 'main.ts')))
  .sort();

/** Runs `body` with ARGOCD_REPO_URL set to `value` (or unset), restoring it afterwards. */
function withRepoEnv<T>(value: string | undefined, body: () => T): T {
  const saved = process.env.ARGOCD_REPO_URL;
  if (value === undefined) delete process.env.ARGOCD_REPO_URL;
  else process.env.ARGOCD_REPO_URL = value;
  try {
    return body();
  } finally {
    if (saved === undefined) delete process.env.ARGOCD_REPO_URL;
    else process.env.ARGOCD_REPO_URL = saved;
  }
}

describe('apps/argocd', () => {
  test('one Application per other app, each deploying its dist folder, none for itself', () => {
    const applications = ofKind(synth(createApp({ repoUrl: REPO })), 'Application');
    expect(otherApps.length).toBeGreaterThan(0);
    expect(applications.map((a) => a.metadata.name).sort()).toEqual(otherApps);
    for (const a of applications) {
      expect(a.spec.source).toEqual({ repoURL: REPO, path: `dist/${a.metadata.name}`, targetRevision: 'HEAD' });
    }
  });

  test('refuses to deploy its own folder', () => {
    expect(() => createApp({ repoUrl: REPO, apps: ['mixed-providers', 'argocd'] }))
      .toThrow('apps/argocd: an Application for dist/argocd would deploy itself; leave it out');
  });

  test('takes the repository from ARGOCD_REPO_URL before package.json, and the revision from ARGOCD_TARGET_REVISION', () => {
    withRepoEnv('git@git.example.com:platform/fork.git', () => {
      expect(configuredRepoUrl()).toBe('git@git.example.com:platform/fork.git');
      expect(skipReason()).toBeUndefined();
      process.env.ARGOCD_TARGET_REVISION = 'release-1';
      try {
        const [a] = ofKind(synth(createApp({ apps: ['mixed-providers'] })), 'Application');
        expect(a.spec.source).toMatchObject({ repoURL: 'git@git.example.com:platform/fork.git', targetRevision: 'release-1' });
      } finally {
        delete process.env.ARGOCD_TARGET_REVISION;
      }
    });
  });

  test('without ARGOCD_REPO_URL, package.json decides; with neither, synth skips the app and createApp says why', () => {
    const repository = JSON.parse(fs.readFileSync(path.join(REPO_DIR, 'package.json'), 'utf8')).repository;
    withRepoEnv(undefined, () => {
      if (repository) {
        expect(configuredRepoUrl()).toBe(String(repository.url ?? repository).replace(/^git\+/, ''));
      } else {
        expect(skipReason()).toBe('no repository URL; set "repository" in package.json or ARGOCD_REPO_URL');
        expect(() => createApp()).toThrow('apps/argocd: no repository URL');
      }
    });
  });

  test('a bad repository URL fails naming the Application', () => {
    expect(() => createApp({ repoUrl: 'https://token@github.com/org/repo.git', apps: ['mixed-providers'] }))
      .toThrow('[argocd/mixed-providers] invalid repository URL "https://token@github.com/org/repo.git": it holds credentials');
  });
});
