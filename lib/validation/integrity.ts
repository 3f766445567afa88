import { isModelRegistry, parseRegistry } from '../internal/registry-yaml';
import { describeManifest, type Manifest } from '../core/manifest';
import { maasReferenceProblems } from './maas-references';
import { describeRef, ObjectIndex, type ObjectRef } from '../core/object-index';

const GATEWAY_API = 'gateway.networking.k8s.io';
const WG_AI_GATEWAY = 'ainetworking.prototype.x-k8s.io';
const ISTIO = 'networking.istio.io';
const POLICY_KINDS = new Set(['AuthPolicy', 'RateLimitPolicy', 'TokenRateLimitPolicy']);

/**
 * Cross-object problems that the cluster would accept silently and that would
 * then drop traffic or rate limits: dangling references, missing
 * ReferenceGrants, routes that claim the same match on one Gateway, policies
 * that compete for one target, registry entries without a backend.
 */
export function integrityProblems(manifests: readonly Manifest[], existing: readonly ObjectRef[] = [], declareHint: DeclareHint = declareInApp): string[] {
  const index = new ObjectIndex(manifests, existing);
  return [
    ...routeProblems(manifests, index, declareHint),
    ...policyProblems(manifests, index, declareHint),
    ...registryProblems(manifests),
    ...tlsSecretProblems(manifests, index),
    ...hostnameBackendProblems(manifests),
    ...destinationRuleProblems(manifests, index),
    ...maasReferenceProblems(manifests, index, declareHint),
  ];
}

function routeProblems(manifests: readonly Manifest[], index: ObjectIndex, declareFix: DeclareHint): string[] {
  const problems: string[] = [];
  const claims = new Map<string, string>();
  const grants = manifests.filter((m) => m.kind === 'ReferenceGrant');
  for (const route of manifests.filter((m) => m.kind === 'HTTPRoute')) {
    const where = describeManifest(route);
    const ns = route.metadata.namespace ?? 'default';
    const spec = (route as any).spec ?? {};
    const parents: ObjectRef[] = (spec.parentRefs ?? []).map((p: any) => ({
      group: p.group ?? GATEWAY_API, kind: p.kind ?? 'Gateway', namespace: p.namespace ?? ns, name: p.name,
    }));
    for (const parent of parents) {
      if (!index.get(parent)) problems.push(`${where}: parentRef ${describeRef(parent)} does not exist; ${declareFix(parent)}`);
    }
    (spec.rules ?? []).forEach((rule: any) => {
      for (const ref of rule.backendRefs ?? []) {
        if (ref.group === ISTIO && ref.kind === 'Hostname') continue; // hostnameBackendProblems
        const target = { group: ref.group ?? '', kind: ref.kind ?? 'Service', namespace: ref.namespace ?? ns, name: ref.name };
        // wg-ai-gateway resolves `kind: Backend` to an XBackendDestination
        const lookup = target.kind === 'Backend' && target.group === WG_AI_GATEWAY ? { ...target, kind: 'XBackendDestination' } : target;
        const found = index.get(lookup);
        if (!found) {
          problems.push(`${where}: backendRef ${describeRef(lookup)} does not exist; ${declareFix(lookup)}`);
        } else if (found.ports && !found.ports.includes(ref.port)) {
          problems.push(`${where}: backendRef ${describeRef(lookup)} has no port ${ref.port} (ports: ${found.ports.join(', ') || 'none'})`);
        }
        if (target.namespace !== ns && !granted(grants, ns, target)) {
          problems.push(`${where}: backendRef ${describeRef(lookup)} crosses namespaces without a ReferenceGrant in ${target.namespace}`);
        }
      }
      for (const match of rule.matches ?? [{ path: { type: 'PathPrefix', value: '/' } }]) {
        for (const parent of parents) {
          const claim = `${describeRef(parent)} ${matchSignature(match)}`;
          const owner = claims.get(claim);
          if (owner && owner !== where) problems.push(`${where}: ${owner} already routes ${matchSignature(match)} on ${describeRef(parent)}; give each route its own path or header`);
          else claims.set(claim, where);
        }
      }
    });
  }
  return problems;
}

/** How to fix a reference to an object that is not among the manifests checked. */
export type DeclareHint = (ref: ObjectRef) => string;

/** The fix in a cdk8s app: synthesize the object, or declare it when something else creates it. */
export function declareInApp(ref: ObjectRef): string {
  const fields = [`group: '${ref.group}'`, `kind: '${ref.kind}'`, ...(ref.namespace ? [`namespace: '${ref.namespace}'`] : []), `name: '${ref.name}'`];
  return 'check the name, or synthesize the object in this app; if another app or a manual step creates it, '
    + `declare it: ExistingObject.declare(scope, { ${fields.join(', ')} })`;
}

function matchSignature(match: any): string {
  const path = match.path ? `${match.path.type ?? 'PathPrefix'} ${match.path.value ?? '/'}` : 'PathPrefix /';
  const headers = (match.headers ?? [])
    .map((h: any) => `${String(h.name).toLowerCase()}${h.type === 'RegularExpression' ? '~' : '='}${h.value}`)
    .sort();
  const method = match.method ? ` method ${match.method}` : '';
  return `${path}${headers.length ? ` headers ${headers.join(',')}` : ''}${method}`;
}

function granted(grants: readonly Manifest[], fromNamespace: string, to: ObjectRef): boolean {
  return grants.some((grant: any) => grant.metadata.namespace === to.namespace
    && (grant.spec?.from ?? []).some((f: any) => f.group === GATEWAY_API && f.kind === 'HTTPRoute' && f.namespace === fromNamespace)
    && (grant.spec?.to ?? []).some((t: any) => (t.group ?? '') === to.group && t.kind === to.kind && (t.name === undefined || t.name === to.name)));
}

function policyProblems(manifests: readonly Manifest[], index: ObjectIndex, declareFix: DeclareHint): string[] {
  const problems: string[] = [];
  const owners = new Map<string, string>();
  for (const policy of manifests.filter((m) => POLICY_KINDS.has(m.kind))) {
    const where = describeManifest(policy);
    const targetRef = (policy as any).spec?.targetRef;
    if (!targetRef) continue;
    const target = { group: targetRef.group, kind: targetRef.kind, namespace: policy.metadata.namespace, name: targetRef.name };
    if (!index.get(target)) {
      problems.push(`${where}: targetRef ${describeRef(target)} does not exist in the policy's namespace; ${declareFix(target)}`);
    }
    const key = `${policy.kind} ${describeRef(target)}${targetRef.sectionName ? `#${targetRef.sectionName}` : ''}`;
    const owner = owners.get(key);
    if (owner) problems.push(`${where}: ${owner} already targets ${describeRef(target)}; merge them into one ${policy.kind}`);
    else owners.set(key, where);
  }
  return problems;
}

function registryProblems(manifests: readonly Manifest[]): string[] {
  const problems: string[] = [];
  // what serves a model: an XBackendDestination, a ServiceEntry, or an in-cluster Service
  const backends = new Set(manifests.filter((m) => ['XBackendDestination', 'ServiceEntry', 'Service'].includes(m.kind)).map((m) => m.metadata.name));
  for (const registry of manifests.filter(isModelRegistry)) {
    const where = describeManifest(registry);
    let entries: any;
    try {
      entries = parseRegistry((registry as any).data.models);
    } catch (error) {
      problems.push(`${where}: key models is not YAML: ${(error as Error).message}`);
      continue;
    }
    if (!Array.isArray(entries)) {
      problems.push(`${where}: key models must be a YAML list of {id, provider, backend}`);
      continue;
    }
    const ids = new Set<string>();
    for (const entry of entries) {
      if (!backends.has(entry?.backend)) problems.push(`${where}: model ${JSON.stringify(entry?.id)} names backend ${JSON.stringify(entry?.backend)}, which is not a synthesized XBackendDestination, ServiceEntry or Service`);
      if (ids.has(entry?.id)) problems.push(`${where}: model ${JSON.stringify(entry?.id)} is listed twice`);
      ids.add(entry?.id);
    }
  }
  return problems;
}


function tlsSecretProblems(manifests: readonly Manifest[], index: ObjectIndex): string[] {
  const problems: string[] = [];
  for (const backend of manifests.filter((m) => m.kind === 'XBackendDestination')) {
    for (const port of (backend as any).spec?.destination?.ports ?? []) {
      const tls = port.tls ?? {};
      const refs: Array<[string, any]> = [
        ...(tls.caBundleRef ?? []).map((ref: any) => ['caBundleRef', ref] as [string, any]),
        ...(tls.clientCertificateRef ? [['clientCertificateRef', tls.clientCertificateRef] as [string, any]] : []),
      ];
      for (const [field, ref] of refs) {
        const secret = { group: ref.group ?? '', kind: ref.kind ?? 'Secret', namespace: backend.metadata.namespace, name: ref.name };
        if (!index.get(secret)) {
          problems.push(`${describeManifest(backend)}: port ${port.number} tls.${field} ${describeRef(secret)} does not exist; `
            + 'create it outside Git and declare it (MaasEgressGateway.declareExistingSecret), or synthesize it (e.g. an ExternalSecret)');
        }
      }
    }
  }
  return problems;
}

/**
 * Istio resolves a `kind: Hostname` backend through a ServiceEntry in the
 * route's own namespace (an exported one elsewhere does not count) that the
 * gateway's namespace can see; without it the route answers 500 or 503.
 */
function hostnameBackendProblems(manifests: readonly Manifest[]): string[] {
  const problems: string[] = [];
  const entries = manifests.filter((m) => m.kind === 'ServiceEntry' && groupOfManifest(m) === ISTIO);
  for (const route of manifests.filter((m) => m.kind === 'HTTPRoute')) {
    const ns = route.metadata.namespace ?? 'default';
    const spec = (route as any).spec ?? {};
    const gatewayNamespaces: string[] = (spec.parentRefs ?? []).map((p: any) => p.namespace ?? ns);
    for (const rule of spec.rules ?? []) {
      for (const ref of rule.backendRefs ?? []) {
        if (ref.group !== ISTIO || ref.kind !== 'Hostname') continue;
        const where = `${describeManifest(route)}: backendRef Hostname ${ref.name}`;
        if (ref.namespace !== undefined) problems.push(`${where} sets a namespace, which Istio rejects for Hostname backends; remove it`);
        const entry = entries.find((e: any) => e.metadata.namespace === ns && (e.spec?.hosts ?? []).includes(ref.name));
        if (!entry) {
          problems.push(`${where} has no ServiceEntry for that host in the route's namespace ${ns}; add one (Istio looks only there)`);
          continue;
        }
        const ports: number[] = ((entry as any).spec?.ports ?? []).map((p: any) => p.number);
        if (!ports.includes(ref.port)) problems.push(`${where} uses port ${ref.port}, which ${describeManifest(entry)} does not declare (ports: ${ports.join(', ') || 'none'})`);
        for (const gatewayNamespace of gatewayNamespaces) {
          if (!exportedTo(entry, gatewayNamespace)) {
            problems.push(`${where}: ${describeManifest(entry)} is not exported to the gateway's namespace ${gatewayNamespace}; add it to exportTo`);
          }
        }
      }
    }
  }
  return problems;
}

/** Every DestinationRule is for a host some ServiceEntry declares, one per host, and its credential Secret exists where it applies. */
function destinationRuleProblems(manifests: readonly Manifest[], index: ObjectIndex): string[] {
  const problems: string[] = [];
  const hosts = new Set(manifests.filter((m) => m.kind === 'ServiceEntry' && groupOfManifest(m) === ISTIO).flatMap((m: any) => m.spec?.hosts ?? []));
  const owners = new Map<string, string>();
  for (const rule of manifests.filter((m) => m.kind === 'DestinationRule' && groupOfManifest(m) === ISTIO)) {
    const where = describeManifest(rule);
    const spec = (rule as any).spec ?? {};
    if (spec.trafficPolicy?.tls && !hosts.has(spec.host)) {
      problems.push(`${where}: host ${spec.host} is declared by no ServiceEntry; the TLS settings would apply to nothing the gateway routes to`);
    }
    const owner = owners.get(spec.host);
    if (owner) problems.push(`${where}: ${owner} already configures host ${spec.host}; Istio merges or ignores a second DestinationRule for one host, keep one`);
    else owners.set(spec.host, where);
    const secret = spec.trafficPolicy?.tls?.credentialName;
    if (secret) {
      const namespaces = [rule.metadata.namespace, ...(spec.exportTo ?? []).filter((n: string) => n !== '.' && n !== '*')];
      if (!namespaces.some((namespace) => index.get({ group: '', kind: 'Secret', namespace, name: secret }))) {
        problems.push(`${where}: tls.credentialName Secret ${secret} exists in none of ${namespaces.join(', ')} (the gateway pods' namespace); `
          + 'create it outside Git and declare it (MaasEgressGateway.declareExistingSecret), or synthesize it');
      }
    }
  }
  return problems;
}

function exportedTo(manifest: Manifest, namespace: string): boolean {
  const exportTo: string[] | undefined = (manifest as any).spec?.exportTo;
  if (!exportTo || exportTo.length === 0 || exportTo.includes('*')) return true;
  return exportTo.includes(namespace) || (exportTo.includes('.') && manifest.metadata.namespace === namespace);
}

function groupOfManifest(manifest: Manifest): string {
  return manifest.apiVersion.split('/')[0];
}
