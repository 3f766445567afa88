import { ApiObject } from 'cdk8s';
import { Construct, type IConstruct } from 'constructs';
import { checkDnsLabel, checkDnsSubdomain, checkNamespace } from '../internal/checks';
import { inputError } from '../internal/errors';
import { registerLibrarySynthesis } from '../output/library-synthesis';

/** Properties of {@link ArgoCdApplication}. */
export interface ArgoCdApplicationProps {
  /** Git repository Argo CD pulls from: `https://`, `ssh://` or `git@host:path`, without credentials. */
  readonly repoUrl: string;
  /** Folder of the manifests in the repository, relative to its root, e.g. `dist/mixed-providers`. */
  readonly path: string;
  /**
   * Name of the Application (a DNS-1123 label).
   * @default the construct id
   */
  readonly name?: string;
  /**
   * Branch, tag or commit to deploy. `HEAD` follows the repository's default branch, whatever its name.
   * @default 'HEAD'
   */
  readonly targetRevision?: string;
  /**
   * Namespace of the Argo CD instance that runs the Application.
   * @default 'openshift-gitops' (OpenShift GitOps)
   */
  readonly namespace?: string;
  /**
   * Argo CD project.
   * @default 'default'
   */
  readonly project?: string;
  /**
   * API server of the cluster to deploy to.
   * @default 'https://kubernetes.default.svc' (the cluster Argo CD runs in)
   */
  readonly destinationServer?: string;
  /**
   * Syncs whenever the folder changes in Git. When false, every sync is started by hand.
   * @default true
   */
  readonly automatedSync?: boolean;
  /**
   * With automated sync, deletes objects whose files were removed (a removed provider's routes and key injection).
   * @default true
   */
  readonly prune?: boolean;
  /**
   * With automated sync, reverts changes made on the cluster to the objects.
   * @default true
   */
  readonly selfHeal?: boolean;
  /**
   * Argo CD sync options such as `ServerSideApply=true`.
   * @default none
   */
  readonly syncOptions?: string[];
}

/** The fields of an Argo CD `Application` spec (argoproj.io/v1alpha1) that this construct sets. */
interface ApplicationSpec {
  readonly project: string;
  readonly source: { readonly repoURL: string; readonly path: string; readonly targetRevision: string };
  readonly destination: { readonly server: string };
  readonly syncPolicy?: {
    readonly automated?: { readonly prune: boolean; readonly selfHeal: boolean };
    readonly syncOptions?: readonly string[];
  };
}

const SCP_LIKE_REPO = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[A-Za-z0-9._~-][A-Za-z0-9._~/-]*$/;
const PATH_SEGMENT = /^[A-Za-z0-9._-]+$/;
const GIT_REVISION = /^[A-Za-z0-9._/-]+$/;
const SYNC_OPTION = /^[A-Za-z]+=[A-Za-z0-9._-]+$/;

/**
 * An Argo CD `Application` that deploys one folder of a Git repository, such
 * as `dist/<app>/` written by `npm run synth`. Argo CD publishes no CRD schema
 * that this library pins, so the object is not schema-validated; its inputs are.
 * Keep it out of the folder it deploys: synthesize it in an app of its own (docs/operations.md, "Argo CD").
 */
export class ArgoCdApplication extends Construct {
  /** Name of the Application. */
  public readonly name: string;
  /** Namespace of the Argo CD instance. */
  public readonly namespace: string;
  /** Repository the Application pulls from. */
  public readonly repoUrl: string;
  /** Folder it deploys. */
  public readonly path: string;
  /** Revision it deploys. */
  public readonly targetRevision: string;
  /** The Application object. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: ArgoCdApplicationProps) {
    super(scope, id);
    registerLibrarySynthesis(this);
    this.name = checkDnsLabel(this, 'Application name', props.name ?? id);
    this.namespace = checkNamespace(this, 'Argo CD namespace', props.namespace ?? 'openshift-gitops');
    this.repoUrl = checkRepoUrl(this, props.repoUrl);
    this.path = checkRepoPath(this, props.path);
    this.targetRevision = checkRevision(this, props.targetRevision ?? 'HEAD');
    const project = checkDnsSubdomain(this, 'Argo CD project', props.project ?? 'default');
    const server = checkServer(this, props.destinationServer ?? 'https://kubernetes.default.svc');
    const automated = props.automatedSync ?? true;
    if (!automated && (props.prune !== undefined || props.selfHeal !== undefined)) {
      throw inputError(this, 'sync policy', { automatedSync: false, prune: props.prune, selfHeal: props.selfHeal },
        'prune and selfHeal apply to automated sync only; drop them or set automatedSync: true');
    }
    const syncOptions = [...(props.syncOptions ?? [])];
    for (const option of syncOptions) {
      if (typeof option !== 'string' || !SYNC_OPTION.test(option)) {
        throw inputError(this, 'sync option', option, 'write it as Name=value, e.g. "ServerSideApply=true"');
      }
    }

    const syncPolicy = {
      automated: automated ? { prune: props.prune ?? true, selfHeal: props.selfHeal ?? true } : undefined,
      syncOptions: syncOptions.length > 0 ? syncOptions : undefined,
    };
    const spec: ApplicationSpec = {
      project,
      source: { repoURL: this.repoUrl, path: this.path, targetRevision: this.targetRevision },
      destination: { server },
      syncPolicy: syncPolicy.automated || syncPolicy.syncOptions ? syncPolicy : undefined,
    };
    this.apiObject = new ApiObject(this, 'Application', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: this.name, namespace: this.namespace },
      spec,
    });
  }
}

function checkRepoUrl(scope: IConstruct, value: string): string {
  const fix = (why: string) => inputError(scope, 'repository URL', value,
    `${why}; give https://host/path, ssh://git@host/path or git@host:path, without credentials`);
  if (typeof value !== 'string' || value.length === 0) throw fix('it is empty');
  if (/\s/.test(value)) throw fix('it contains white space');
  if (SCP_LIKE_REPO.test(value)) return value;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw fix('it is not a URL');
  }
  if (!['https:', 'http:', 'ssh:'].includes(url.protocol)) throw fix(`scheme ${url.protocol} is not one Argo CD clones from`);
  if (url.password || (url.username && url.protocol !== 'ssh:')) throw fix('it holds credentials, which would end up in Git');
  if (!url.hostname || url.pathname.length <= 1) throw fix('it names no host or no repository path');
  if (url.search || url.hash) throw fix('it has a query or fragment');
  return value;
}

function checkRepoPath(scope: IConstruct, value: string): string {
  const segments = typeof value === 'string' ? value.split('/') : [];
  const valid = value === '.' || (segments.length > 0 && segments.every((s) => PATH_SEGMENT.test(s) && s !== '.' && s !== '..'));
  if (!valid) {
    throw inputError(scope, 'repository path', value,
      'give a folder relative to the repository root such as "dist/mixed-providers" (no leading or trailing "/", no "." or ".." segments)');
  }
  return value;
}

function checkRevision(scope: IConstruct, value: string): string {
  if (typeof value !== 'string' || !GIT_REVISION.test(value) || value.startsWith('-') || value.startsWith('/')
    || value.endsWith('/') || value.includes('..') || value.includes('//')) {
    throw inputError(scope, 'target revision', value, 'give a branch, tag or commit such as "main", "v1.2.0" or "HEAD"');
  }
  return value;
}

function checkServer(scope: IConstruct, value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || url.protocol !== 'https:' || url.username || url.password || url.search || url.hash || /\s/.test(value)) {
    throw inputError(scope, 'destination server', value, 'give the https:// URL of a cluster API server, e.g. "https://kubernetes.default.svc"');
  }
  return value;
}
