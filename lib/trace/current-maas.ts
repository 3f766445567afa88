import type { Caller } from './auth-evaluation';
import { MAAS_GATEWAY } from './data-plane';
import { GROUP, type K8sObject, ManifestSet, objectName } from './manifest-set';
import type { TraceLimit, TraceResult } from './trace-result';
import { defaultIppKeyHeader, IPP_PROVIDER_PORT, MaasProviderType } from '../core/maas-provider-type';

/**
 * Subscription-based MaaS: the payload processor creates the route of an
 * ExternalModel and maas-controller its token policy, so the trace describes
 * them from the MaaS objects (MaaSModelRef, ExternalModel, ExternalProvider,
 * MaaSAuthPolicy, MaaSSubscription) instead of following routes.
 */
interface CurrentMaasRequest {
  readonly method: string;
  readonly path: string;
  readonly groups?: readonly string[];
}

const IPP_LABEL = 'inference.llm-d.ai/ipp-managed';
const COMPLETION_PATHS = ['/v1/chat/completions', '/v1/completions', '/v1/messages', '/v1/responses'];

/** A MaaSModelRef of kind ExternalModel with its ExternalModel. */
interface ExternalModelRef {
  readonly ref: K8sObject;
  readonly model: K8sObject;
  /** Client-facing model id: the ExternalModel's name (MaaS lists and subscribes by it). */
  readonly modelName: string;
}

/** Every MaaSModelRef of the set that points at an ExternalModel of the set (canonical group first, then the legacy one). */
export function externalModelRefs(set: ManifestSet): ExternalModelRef[] {
  return set.all(GROUP.maas, 'MaaSModelRef').flatMap((ref) => {
    if (ref.spec?.modelRef?.kind !== 'ExternalModel') return [];
    const ns = ref.metadata.namespace;
    const model = set.get(GROUP.inference, 'ExternalModel', ns, ref.spec.modelRef.name) ?? set.get(GROUP.maas, 'ExternalModel', ns, ref.spec.modelRef.name);
    return model ? [{ ref, model, modelName: String(model.metadata.name) }] : [];
  });
}

function refersTo(list: any[] | undefined, ref: K8sObject): boolean {
  return (list ?? []).some((m) => m.name === ref.metadata.name && m.namespace === ref.metadata.namespace);
}

function subjectMatches(subjects: any, caller: Caller, groups: readonly string[]): boolean {
  return (subjects?.users ?? []).includes(caller.user) || (subjects?.groups ?? []).some((g: any) => groups.includes(g.name));
}

function subjectsText(subjects: any): string {
  const parts = [...(subjects?.groups ?? []).map((g: any) => `group ${g.name}`), ...(subjects?.users ?? []).map((u: string) => `user ${u}`)];
  return parts.length > 0 ? parts.join(', ') : 'nobody';
}

/** Where the key Secret of a provider comes from, in words (never its value). */
function keySource(set: ManifestSet, ns: string, name: string, warnings: string[]): string {
  const secret = set.get('', 'Secret', ns, name);
  if (secret) {
    if ((secret.metadata.labels as any)?.[IPP_LABEL] !== 'true') warnings.push(`${objectName(secret)} lacks the label ${IPP_LABEL}: "true": the payload processor does not read it`);
    warnings.push(`${objectName(secret)} holds a provider key in the manifests`);
    return `${objectName(secret)} (value written in the manifests)`;
  }
  const external = set.all(GROUP.externalSecrets, 'ExternalSecret').find((e) => e.metadata.namespace === ns && (e.spec?.target?.name ?? e.metadata.name) === name);
  if (external) {
    const labels = external.spec?.target?.template?.metadata?.labels ?? {};
    if (labels[IPP_LABEL] !== 'true') warnings.push(`${objectName(external)} creates Secret ${ns}/${name} without the label ${IPP_LABEL}: "true" in its target template: the payload processor does not read it`);
    const store = external.spec?.secretStoreRef ?? {};
    const keys = (external.spec?.data ?? []).map((d: any) => d.remoteRef?.key).filter(Boolean);
    return `Secret ${ns}/${name} synced by ${objectName(external)} from ${store.kind ?? 'SecretStore'} ${store.name ?? '?'}${keys.length > 0 ? ` key ${keys.join(', ')}` : ''}`;
  }
  warnings.push(`Secret ${ns}/${name} is not in these manifests: it must exist, labelled ${IPP_LABEL}: "true"`);
  return `Secret ${ns}/${name} (not in these manifests)`;
}

function addressed(entry: ExternalModelRef, request: CurrentMaasRequest, model: string | undefined): boolean {
  const prefix = `/${entry.ref.metadata.namespace}/${entry.model.metadata.name}`;
  const path = request.path.split('?')[0];
  if (path === prefix || path.startsWith(`${prefix}/`)) return true;
  return COMPLETION_PATHS.includes(path) && model !== undefined && model === entry.modelName;
}

/** The description of a request to an external model of subscription-based MaaS; undefined when the request addresses none. */
export function traceCurrentMaas(set: ManifestSet, request: CurrentMaasRequest, caller: Caller, model: string | undefined): Omit<TraceResult, 'request'> | undefined {
  const entry = externalModelRefs(set).find((e) => addressed(e, request, model));
  if (!entry) return undefined;
  const ns = entry.ref.metadata.namespace ?? '';
  const steps: string[] = [];
  const warnings: string[] = [];
  const given = request.groups !== undefined && request.groups.length > 0 ? request.groups : groupsOfTier(set, caller.tier, warnings);
  // Kubernetes puts every authenticated user in system:authenticated
  const groups = caller.user !== undefined || caller.token ? [...new Set([...given, 'system:authenticated'])] : given;
  const objects = new Set([objectName(entry.ref), objectName(entry.model)]);
  steps.push(`${objectName(entry.ref)} -> ${objectName(entry.model)} (model "${entry.modelName}"): served by the payload processor's route (HTTPRoute ${ns}/${entry.model.metadata.name}, created by it, not in these manifests)`);
  const modelName = entry.model.spec?.modelName;
  if (modelName !== undefined && modelName !== entry.modelName) {
    warnings.push(`${objectName(entry.model)} sets spec.modelName "${modelName}": MaaS lists and subscribes the model as "${entry.modelName}" while the payload processor resolves "${modelName}", so neither id is both routed and allowed`);
  }

  const providers = (entry.model.spec?.externalProviderRefs ?? []).map((p: any) => {
    const provider = set.get(GROUP.inference, 'ExternalProvider', ns, p.ref?.name);
    if (provider) objects.add(objectName(provider));
    return { ref: p, provider };
  });
  const totalWeight = providers.reduce((sum: number, p: any) => sum + (p.ref.weight ?? 1), 0);
  const described = providers.map(({ ref, provider }: any) => {
    if (!provider) {
      warnings.push(`ExternalProvider ${ns}/${ref.ref?.name} is not in these manifests`);
      return undefined;
    }
    // the payload processor always originates TLS SIMPLE to 443 (pkg/controller/externalprovider/reconciler.go reconcileResources)
    const annotations = provider.metadata.annotations ?? {};
    for (const key of ['inference.opendatahub.io/tls', 'inference.opendatahub.io/port']) {
      if (annotations[key] !== undefined) warnings.push(`${objectName(provider)}: the payload processor ignores ${key}; it connects with TLS to port 443`);
    }
    const auth = ref.auth ?? provider.spec?.auth ?? {};
    const header = keyHeaderOf(provider);
    const secretName = auth.secretRef?.name;
    const source = secretName ? keySource(set, ns, secretName, warnings) : 'no key';
    if (secretName) objects.add(`Secret ${ns}/${secretName}`);
    const share = `${ref.weight ?? 1}/${totalWeight}`;
    steps.push(`provider ${objectName(provider)} (${provider.spec?.provider}, weight ${share}): https://${provider.spec?.endpoint}:${IPP_PROVIDER_PORT}${ref.path}, `
      + `target model "${ref.targetModel}", format ${ref.apiFormat}, key (${auth.type ?? '?'}) from ${source}`);
    if (ref.apiFormat === 'messages' || ref.apiFormat === 'vertex-messages') {
      warnings.push(`${objectName(provider)}: format ${ref.apiFormat} needs the payload processor's translation, off by default`);
    }
    return { ref, provider, source, authType: auth.type, header };
  }).filter(Boolean) as any[];
  if (described.length > 1) warnings.push(`model "${entry.modelName}" is split over ${described.length} providers by weight; the upstream shown is the heaviest`);

  const hop = (): TraceResult['hops'] => [{ gateway: `${MAAS_GATEWAY.namespace}/${MAAS_GATEWAY.name}`, dataPlane: 'payload-processor', route: `${ns}/${entry.model.metadata.name}`, path: request.path, steps }];
  const finish = (): { objects: string[]; warnings: string[] } => ({ objects: [...objects].sort(), warnings: [...new Set(warnings)] });

  if (!caller.token) {
    steps.push('no MaaS API key or token: MaaS answers 401');
    return { outcome: 'rejected', status: 401, reason: 'no token: MaaS requires an API key or token', hops: hop(), limits: [], ...finish() };
  }
  const policies = set.all(GROUP.maas, 'MaaSAuthPolicy').filter((p) => refersTo(p.spec?.modelRefs, entry.ref));
  for (const p of policies) {
    objects.add(objectName(p));
    steps.push(`${objectName(p)} lets ${subjectsText(p.spec?.subjects)} call it`);
  }
  if (policies.length === 0) warnings.push(`no MaaSAuthPolicy in these manifests names ${objectName(entry.ref)}: nobody may call it`);
  if (!policies.some((p) => subjectMatches(p.spec?.subjects, caller, groups))) {
    return { outcome: 'rejected', status: 403, reason: `user ${caller.user ?? '?'}${groups.length > 0 ? ` (groups ${groups.join(', ')})` : ''} is not a subject of any MaaSAuthPolicy for this model`, hops: hop(), limits: [], ...finish() };
  }

  const subscriptions = set.all(GROUP.maas, 'MaaSSubscription').filter((s) => refersTo(s.spec?.modelRefs, entry.ref))
    .sort((a, b) => (b.spec?.priority ?? 0) - (a.spec?.priority ?? 0) || (a.metadata.name < b.metadata.name ? -1 : 1));
  for (const s of subscriptions) {
    objects.add(objectName(s));
    const limits = (s.spec.modelRefs.find((m: any) => m.name === entry.ref.metadata.name && m.namespace === ns)?.tokenRateLimits ?? [])
      .map((l: any) => `${l.limit} tokens per ${l.window}`).join(', ');
    steps.push(`${objectName(s)} (priority ${s.spec?.priority ?? 0}) for ${subjectsText(s.spec?.owner)}: ${limits}`);
  }
  const mine = subscriptions.find((s) => subjectMatches(s.spec?.owner, caller, groups));
  if (!mine) {
    return { outcome: 'rejected', status: 429, reason: "no subscription of the caller covers this model: MaaS's gateway-default-deny TokenRateLimitPolicy allows 0 tokens", hops: hop(), limits: [], ...finish() };
  }
  steps.push(`subscription ${mine.metadata.namespace}/${mine.metadata.name} applies (the caller's highest priority one)`);
  const limits: TraceLimit[] = (mine.spec.modelRefs.find((m: any) => m.name === entry.ref.metadata.name && m.namespace === ns)?.tokenRateLimits ?? [])
    .map((l: any) => ({ kind: 'MaaSSubscription', policy: `${mine.metadata.namespace}/${mine.metadata.name}`, name: `${ns}/${entry.ref.metadata.name}`, amount: Number(l.limit), window: String(l.window), unit: 'tokens', counter: 'auth.identity.userid (per user, per model: TokenRateLimitPolicy maas-trlp-' + entry.ref.metadata.name + ')' }));

  // MaaS's payload-processing-plugins (c0639b1) enable no plugin that strips it (only external-metering does)
  if (!removesAcceptEncoding(set)) {
    warnings.push('nothing removes the client\'s Accept-Encoding (the payload processor keeps it): a compressed provider response is not counted by MaaS\'s TokenRateLimitPolicy');
  } else {
    steps.push('Accept-Encoding removed on every route of the MaaS gateway (EnvoyFilter), so the provider answers uncompressed and MaaS counts its tokens');
  }
  const chosen = [...described].sort((a, b) => (b.ref.weight ?? 1) - (a.ref.weight ?? 1))[0];
  if (!chosen) return { outcome: 'rejected', status: 500, reason: `no ExternalProvider of ${objectName(entry.model)} is in these manifests`, hops: hop(), limits, ...finish() };
  const host = String(chosen.provider.spec?.endpoint);
  return {
    outcome: 'forwarded',
    hops: hop(),
    upstream: {
      host,
      port: IPP_PROVIDER_PORT,
      tls: { enabled: true, verification: 'TLS SIMPLE (DestinationRule created by the payload processor); chain checked against the system trust store; name checked automatically', sni: `${host} (automatic SNI)` },
      path: String(chosen.ref.path),
      hostHeader: host,
      headers: { [chosen.header.name.toLowerCase()]: `${chosen.header.prefix}<key (${chosen.authType ?? '?'}) from ${chosen.source}>, injected by the payload processor` },
      backend: objectName(chosen.provider),
      timeouts: 'MaaS route: 300s (timeouts.request), no idle timeout',
    },
    limits,
    ...finish(),
  };
}

/** The key header the payload processor sends to `provider`: its config, else its type's default (`apikey_auth_generator.go`). */
function keyHeaderOf(provider: K8sObject): { name: string; prefix: string } {
  const implied = defaultIppKeyHeader(provider.spec?.provider as MaasProviderType);
  const config = provider.spec?.config ?? {};
  return { name: String(config.authHeaderName ?? implied.name), prefix: String(config.authValuePrefix ?? implied.prefix) };
}

/**
 * On current MaaS a tier is the groups that own its subscription: `--tier T`
 * without `--group` stands for the owner groups of the subscription named
 * `...-T`, said in a warning; without such a subscription it means nothing.
 */
export function groupsOfTier(set: ManifestSet, tier: string | undefined, warnings: string[]): string[] {
  if (tier === undefined) return [];
  const subscription = subscriptionOfTier(set, tier);
  if (!subscription) {
    warnings.push(`--tier ${tier} means nothing on current MaaS (no MaaSSubscription is named for it): access follows groups, so pass --group <group>`);
    return [];
  }
  const groups = ownerGroupsOf(subscription);
  warnings.push(`--tier ${tier} is taken as the groups owning ${objectName(subscription)} (${groups.join(', ') || 'none'}); on current MaaS pass --group <group> instead`);
  return groups;
}

/** The groups that own a MaaSSubscription. */
export function ownerGroupsOf(subscription: K8sObject): string[] {
  return (subscription.spec?.owner?.groups ?? []).map((g: any) => String(g.name));
}

/** The MaaSSubscription that stands for tier `tier`: named `<tier>` or `<prefix>-<tier>`. */
export function subscriptionOfTier(set: ManifestSet, tier: string): K8sObject | undefined {
  return set.all(GROUP.maas, 'MaaSSubscription').find((s) => s.metadata.name === tier || s.metadata.name.endsWith(`-${tier}`));
}

/** True when an EnvoyFilter of the set merges `request_headers_to_remove: [accept-encoding]` into the MaaS gateway's routes. */
function removesAcceptEncoding(set: ManifestSet): boolean {
  return set.all('networking.istio.io', 'EnvoyFilter').some((f) => f.metadata.namespace === MAAS_GATEWAY.namespace
    && f.spec?.workloadSelector?.labels?.['gateway.networking.k8s.io/gateway-name'] === MAAS_GATEWAY.name
    && (f.spec?.configPatches ?? []).some((p: any) => p.applyTo === 'HTTP_ROUTE' && p.patch?.operation === 'MERGE'
      && (p.patch?.value?.request_headers_to_remove ?? []).map((h: string) => h.toLowerCase()).includes('accept-encoding')));
}
