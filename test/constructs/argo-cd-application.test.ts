import { ArgoCdApplication, ArgoCdApplicationProps } from '../../lib';
import { CrdSchemaValidator } from '../../lib/validation/schema-validator';
import { find, newChart, synth } from '../helpers';

const REPO = 'https://git.example.com/platform/maas-egress.git';

function application(props: Partial<ArgoCdApplicationProps> = {}, id = 'mixed-providers'): any {
  const { app, chart } = newChart();
  new ArgoCdApplication(chart, id, { repoUrl: REPO, path: 'dist/mixed-providers', ...props });
  return find(synth(app), 'Application', props.name ?? id);
}

function build(props: Partial<ArgoCdApplicationProps>): () => void {
  return () => new ArgoCdApplication(newChart().chart, 'app', { repoUrl: REPO, path: 'dist/app', ...props });
}

describe('ArgoCdApplication', () => {
  test('deploys the folder from the default branch into this cluster, pruning and self-healing', () => {
    const object = application();
    expect(object.apiVersion).toBe('argoproj.io/v1alpha1');
    expect(object.metadata.namespace).toBe('openshift-gitops');
    expect(object.spec).toEqual({
      project: 'default',
      source: { repoURL: REPO, path: 'dist/mixed-providers', targetRevision: 'HEAD' },
      destination: { server: 'https://kubernetes.default.svc' },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    });
  });

  test('every setting can be changed', () => {
    const object = application({
      name: 'egress', namespace: 'argocd', project: 'maas', targetRevision: 'release/v1.2', destinationServer: 'https://api.prod.example.com:6443',
      prune: false, selfHeal: false, syncOptions: ['ServerSideApply=true'], repoUrl: 'git@git.example.com:platform/maas-egress.git',
    });
    expect(object.metadata).toMatchObject({ name: 'egress', namespace: 'argocd' });
    expect(object.spec).toEqual({
      project: 'maas',
      source: { repoURL: 'git@git.example.com:platform/maas-egress.git', path: 'dist/mixed-providers', targetRevision: 'release/v1.2' },
      destination: { server: 'https://api.prod.example.com:6443' },
      syncPolicy: { automated: { prune: false, selfHeal: false }, syncOptions: ['ServerSideApply=true'] },
    });
  });

  test('manual sync leaves out the automated policy', () => {
    expect(application({ automatedSync: false }).spec.syncPolicy).toBeUndefined();
  });

  test('passes the synth-time checks without a schema: Argo CD has no pinned CRD', () => {
    expect(CrdSchemaValidator.instance().covers('argoproj.io/v1alpha1', 'Application')).toBe(false);
    expect(application().metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('6');
  });

  test.each<[string, Partial<ArgoCdApplicationProps>, string]>([
    ['credentials in the URL', { repoUrl: 'https://deploy:ghp_secret@github.com/org/repo.git' },
      '[test/app] invalid repository URL "https://deploy:ghp_secret@github.com/org/repo.git": it holds credentials, which would end up in Git; give https://host/path, ssh://git@host/path or git@host:path, without credentials'],
    ['a scheme Argo CD does not clone from', { repoUrl: 'ftp://git.example.com/repo.git' }, 'invalid repository URL "ftp://git.example.com/repo.git": scheme ftp: is not one Argo CD clones from'],
    ['no repository path', { repoUrl: 'https://git.example.com/' }, 'it names no host or no repository path'],
    ['not a URL', { repoUrl: 'git.example.com/repo' }, 'invalid repository URL "git.example.com/repo": it is not a URL'],
    ['a parent folder', { path: '../secrets' }, 'invalid repository path "../secrets": give a folder relative to the repository root'],
    ['an absolute path', { path: '/dist/app' }, 'invalid repository path "/dist/app"'],
    ['a trailing slash', { path: 'dist/app/' }, 'invalid repository path "dist/app/"'],
    ['a dot segment', { path: 'dist/./app' }, 'invalid repository path "dist/./app"'],
    ['a revision range', { targetRevision: 'main..evil' }, 'invalid target revision "main..evil": give a branch, tag or commit'],
    ['a revision that reads as an option', { targetRevision: '-rf' }, 'invalid target revision "-rf"'],
    ['an upper-case namespace', { namespace: 'OpenShift-GitOps' }, 'invalid Argo CD namespace "OpenShift-GitOps": use a DNS-1123 label'],
    ['an underscore in the name', { name: 'mixed_providers' }, 'invalid Application name "mixed_providers"'],
    ['a project name with a space', { project: 'my project' }, 'invalid Argo CD project "my project"'],
    ['a plain-HTTP API server', { destinationServer: 'http://kubernetes.default.svc' }, 'invalid destination server "http://kubernetes.default.svc"'],
    ['prune without automated sync', { automatedSync: false, prune: true }, 'invalid sync policy {"automatedSync":false,"prune":true}: prune and selfHeal apply to automated sync only'],
    ['a sync option without a value', { syncOptions: ['ServerSideApply'] }, 'invalid sync option "ServerSideApply": write it as Name=value'],
  ])('rejects %s', (_what, props, message) => {
    expect(build(props)).toThrow(message);
  });

  test('accepts an ssh:// URL with a user and the repository root as path', () => {
    expect(build({ repoUrl: 'ssh://git@git.example.com:2222/platform/maas-egress.git', path: '.' })).not.toThrow();
  });
});
