import { GROUP, type K8sObject, ManifestSet, objectName } from './manifest-set';
import type { TraceTls } from './trace-result';

/** An upstream outside the gateways: where a backendRef finally leads. */
export interface ResolvedBackend {
  readonly host: string;
  readonly port: number;
  readonly tls: TraceTls;
  /** The object that names it. */
  readonly object: string;
  /** Further objects read (ServiceEntry, DestinationRule, CA Secret). */
  readonly consulted: readonly string[];
  readonly warnings: readonly string[];
}

/** Why a backendRef leads nowhere, and the status the data plane answers with. */
export interface BrokenBackend {
  readonly status: number;
  readonly reason: string;
}

function exportedTo(o: K8sObject, namespace: string): boolean {
  const to: string[] | undefined = o.spec?.exportTo;
  return !to || to.length === 0 || to.includes('*') || to.includes(namespace) || (to.includes('.') && o.metadata.namespace === namespace);
}

/** wg-ai-gateway: backendRef kind Backend -> XBackendDestination, whose port list must hold the ref's port. */
export function resolveXBackend(set: ManifestSet, routeNs: string, ref: any): ResolvedBackend | BrokenBackend {
  const ns = ref.namespace ?? routeNs;
  const dest = set.get(GROUP.wgAiGateway, 'XBackendDestination', ns, ref.name);
  if (!dest) return { status: 500, reason: `backendRef Backend ${ns}/${ref.name}: no XBackendDestination of that name in these manifests` };
  const d = dest.spec?.destination ?? {};
  const port = (d.ports ?? []).find((p: any) => p.number === ref.port);
  if (!port) return { status: 500, reason: `backendRef port ${ref.port} is not a port of ${objectName(dest)} (wg-ai-gateway answers 500)` };
  const host = d.fqdn?.hostname ?? d.service?.name ?? '?';
  const warnings: string[] = [];
  const consulted: string[] = [];
  const inCluster = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc\.cluster\.local$/.exec(host);
  if (inCluster) {
    // an in-cluster destination (a simulator): its Service is part of the path when the folder defines it
    const svc = set.get('', 'Service', inCluster[2], inCluster[1]);
    if (svc) consulted.push(objectName(svc));
    if (svc && !(svc.spec?.ports ?? []).some((p: any) => p.port === ref.port)) warnings.push(`${objectName(svc)} has no port ${ref.port}`);
  }
  let tls: TraceTls = { enabled: false, verification: 'none: plain HTTP' };
  const t = port.tls;
  if (t && t.mode && t.mode !== 'None') {
    const sni = t.sni ?? host;
    const cas: any[] = t.caBundleRef ?? [];
    let verification: string;
    if (t.insecureSkipVerify) verification = 'NOT verified (insecureSkipVerify)';
    else if (cas.length === 0) verification = 'NOT verified: mode Simple without caBundleRef checks no certificate';
    else {
      verification = `chain checked against ca.crt of ${cas.map((c) => `Secret ${ns}/${c.name}`).join(', ')}`
        + (t.subjectAltNames ? `; name checked against ${JSON.stringify(t.subjectAltNames)}` : '; the name is NOT checked (no subjectAltNames)');
      for (const c of cas) {
        const secret = `Secret ${ns}/${c.name}`;
        if (!set.get('', 'Secret', ns, c.name)) warnings.push(`${secret} (CA bundle) is not in these manifests: create it, or wg-ai-gateway fails to translate the whole Gateway`);
        consulted.push(secret);
      }
    }
    if (verification.startsWith('NOT')) warnings.push(`TLS to ${host}:${ref.port}: the server certificate is ${verification}`);
    tls = { enabled: true, verification: `TLS ${t.mode}; ${verification}`, sni };
  }
  return { host, port: ref.port, tls, object: objectName(dest), consulted, warnings };
}

/** Istio: backendRef `{group: networking.istio.io, kind: Hostname}` -> ServiceEntry (+ DestinationRule for TLS). */
export function resolveHostname(set: ManifestSet, routeNs: string, gatewayNs: string, ref: any, sniHost: string): ResolvedBackend | BrokenBackend {
  const host = String(ref.name);
  const entry = set.all(GROUP.istio, 'ServiceEntry').find((se) => (se.spec?.hosts ?? []).includes(host) && exportedTo(se, routeNs));
  if (!entry) return { status: 500, reason: `backendRef Hostname ${host}: no ServiceEntry for it visible from namespace ${routeNs} (Istio answers 500)` };
  const port = (entry.spec?.ports ?? []).find((p: any) => p.number === ref.port);
  if (!port) return { status: 500, reason: `backendRef port ${ref.port} is not a port of ${objectName(entry)}` };
  const consulted = [objectName(entry)];
  const warnings: string[] = [];
  const rule = set.all(GROUP.istio, 'DestinationRule').find((dr) => dr.spec?.host === host && exportedTo(dr, gatewayNs));
  const portLevel = (rule?.spec?.trafficPolicy?.portLevelSettings ?? []).find((p: any) => p.port?.number === ref.port);
  const t = portLevel?.tls ?? rule?.spec?.trafficPolicy?.tls;
  let tls: TraceTls = { enabled: false, verification: 'none: plain HTTP' };
  if (rule) consulted.push(objectName(rule));
  if (t && t.mode && t.mode !== 'DISABLE') {
    let verification: string;
    if (t.insecureSkipVerify) verification = 'NOT verified (insecureSkipVerify)';
    else {
      const chain = t.credentialName ? `chain checked against the CA in Secret ${gatewayNs}/${t.credentialName} (gateway namespace)` : 'chain checked against the system trust store';
      const name = t.subjectAltNames ? `name checked against ${JSON.stringify(t.subjectAltNames)}`
        : t.sni ? 'the name is NOT checked (sni set without subjectAltNames turns automatic SAN checking off)'
          : `name checked automatically against ${sniHost}`;
      verification = `${chain}; ${name}`;
      if (t.credentialName) {
        if (!set.get('', 'Secret', gatewayNs, t.credentialName)) warnings.push(`Secret ${gatewayNs}/${t.credentialName} (CA of ${objectName(rule!)}) is not in these manifests: it must exist in the gateway's namespace`);
        consulted.push(`Secret ${gatewayNs}/${t.credentialName}`);
      }
    }
    if (verification.startsWith('NOT')) warnings.push(`TLS to ${host}:${ref.port}: the server certificate is ${verification}`);
    tls = { enabled: true, verification: `TLS ${t.mode} (${objectName(rule!)}); ${verification}`, sni: t.sni ?? `${sniHost} (automatic SNI)` };
  } else if (['HTTPS', 'TLS'].includes(String(port.protocol).toUpperCase())) {
    warnings.push(`${objectName(entry)} declares port ${ref.port} as ${port.protocol} but no DestinationRule originates TLS: the gateway sends plain HTTP`);
  }
  return { host, port: ref.port, tls, object: objectName(entry), consulted, warnings };
}

/** A Service of the folder (not a gateway's): its cluster DNS name. */
export function resolveService(set: ManifestSet, routeNs: string, ref: any): ResolvedBackend | BrokenBackend {
  const ns = ref.namespace ?? routeNs;
  const svc = set.get('', 'Service', ns, ref.name);
  const host = `${ref.name}.${ns}.svc.cluster.local`;
  const tls: TraceTls = { enabled: false, verification: 'none: plain HTTP' };
  if (!svc) {
    return { host, port: ref.port, tls, object: `Service ${ns}/${ref.name}`, consulted: [], warnings: [`Service ${ns}/${ref.name} is not in these manifests: the trace stops at its cluster address`] };
  }
  if (svc.spec?.type === 'ExternalName') {
    return { host: svc.spec.externalName, port: ref.port, tls, object: objectName(svc), consulted: [],
      warnings: [`${objectName(svc)} is an ExternalName alias: Istio needs a ServiceEntry for ${svc.spec.externalName}:${ref.port}`] };
  }
  if (!(svc.spec?.ports ?? []).some((p: any) => p.port === ref.port)) return { status: 500, reason: `backendRef port ${ref.port} is not a port of ${objectName(svc)}` };
  const consulted: string[] = [];
  if (ns !== routeNs) {
    const grant = referenceGrantFor(set, routeNs, ns, ref.name);
    if (!grant) return { status: 500, reason: `no ReferenceGrant in namespace ${ns} lets HTTPRoutes of ${routeNs} use ${objectName(svc)} (Gateway API answers 500)` };
    consulted.push(objectName(grant));
  }
  return { host, port: ref.port, tls, object: objectName(svc), consulted, warnings: [] };
}

/** The ReferenceGrant in `toNs` that lets HTTPRoutes of `fromNs` reference Service `name`. */
function referenceGrantFor(set: ManifestSet, fromNs: string, toNs: string, name: string): K8sObject | undefined {
  return set.all(GROUP.gatewayApi, 'ReferenceGrant').find((g) => g.metadata.namespace === toNs
    && (g.spec?.from ?? []).some((f: any) => f.kind === 'HTTPRoute' && f.group === GROUP.gatewayApi && f.namespace === fromNs)
    && (g.spec?.to ?? []).some((t: any) => (t.group ?? '') === '' && t.kind === 'Service' && (t.name === undefined || t.name === name)));
}
