import { WgAiGatewayController } from '../../lib';
import { allApps, ofKind, synth } from '../helpers';

// What the consuming components do with the output (wg-ai-gateway, Istio,
// Kuadrant), checked on every app: each assertion is one of the corrections
// made after reading their source.
const apps = allApps().map(([name, create]) => [name, synth(create())] as const);

describe.each(apps)('%s on the wire', (_name, out) => {
  const wgGateways = ofKind(out, 'Gateway').filter((g) => g.spec.gatewayClassName === WgAiGatewayController.GATEWAY_CLASS_NAME);

  test('a wg-ai-gateway Envoy listens only on unprivileged ports (it runs without NET_BIND_SERVICE), and bridges use them', () => {
    for (const gateway of wgGateways) {
      const ports = gateway.spec.listeners.map((l: any) => l.port);
      for (const port of ports) expect(port).toBeGreaterThanOrEqual(1024);
      const service = `envoy-${gateway.metadata.namespace}-${gateway.metadata.name}`;
      const refs = ofKind(out, 'HTTPRoute').flatMap((r) => r.spec.rules.flatMap((rule: any) => rule.backendRefs ?? [])).filter((b: any) => b.name === service);
      for (const ref of refs) expect(ports).toContain(ref.port);
    }
  });

  test('the wg-ai-gateway controller writes nothing cluster-wide but GatewayClass status', () => {
    for (const role of ofKind(out, 'ClusterRole').filter((r) => r.metadata.name === WgAiGatewayController.NAME)) {
      const writes = role.rules.flatMap((r: any) => r.resources.flatMap((res: string) => r.verbs.filter((v: string) => !['list', 'watch'].includes(v)).map((v: string) => `${res}:${v}`)));
      expect(writes).toEqual(['gatewayclasses/status:update']);
    }
    if (ofKind(out, 'Deployment').some((d) => d.metadata.name === WgAiGatewayController.NAME)) {
      const roleNamespaces = ofKind(out, 'Role').filter((r) => r.metadata.name === WgAiGatewayController.NAME).map((r) => r.metadata.namespace);
      expect(roleNamespaces.sort()).toEqual([...new Set(wgGateways.map((g) => g.metadata.namespace))].sort());
    }
  });

  test('a Lua filter that reads Authorino\'s headers runs after Kuadrant\'s wasm filter (priority above 0)', () => {
    for (const filter of ofKind(out, 'EnvoyFilter')) {
      const patch = filter.spec.configPatches[0];
      if (patch.applyTo !== 'HTTP_FILTER') continue; // current MaaS's Accept-Encoding guard merges into routes, no filter
      if (patch.patch.operation === 'INSERT_FIRST') continue; // the header guard runs before Kuadrant on purpose
      expect(patch.patch.value.name).toBe('envoy.filters.http.lua');
      expect(filter.spec.priority).toBeGreaterThan(0);
    }
  });

  test('every verified TLS origination checks the certificate name', () => {
    for (const backend of ofKind(out, 'XBackendDestination')) {
      for (const port of backend.spec.destination.ports) {
        if (port.tls && !port.tls.insecureSkipVerify) expect(port.tls.subjectAltNames?.length).toBeGreaterThan(0);
      }
    }
    for (const rule of ofKind(out, 'DestinationRule')) {
      const tls = rule.spec.trafficPolicy?.tls;
      // Istio checks the name itself unless sni is set (then subjectAltNames must be)
      if (tls?.sni) expect(tls.subjectAltNames?.length).toBeGreaterThan(0);
      expect(tls?.insecureSkipVerify === true).toBe(rule.metadata.annotations?.['maas-egress/insecure-tls'] === 'true');
    }
  });

  test('a controller image that predates TLS origination serves no TLS backend', () => {
    const images = ofKind(out, 'Deployment').filter((d) => d.metadata.name === WgAiGatewayController.NAME)
      .map((d) => d.spec.template.spec.containers[0].image);
    const tls = ofKind(out, 'XBackendDestination').filter((b) => b.spec.destination.ports.some((p: any) => p.tls));
    if (images.includes(WgAiGatewayController.SEED_IMAGE)) expect(tls).toEqual([]);
  });

  test('AuthPolicies set request headers in lower case, so wasm-shim replaces rather than adds them', () => {
    for (const policy of ofKind(out, 'AuthPolicy')) {
      for (const name of Object.keys(policy.spec.rules?.response?.success?.headers ?? {})) expect(name).toBe(name.toLowerCase());
    }
  });

  test('one model registry, whatever the number of egress gateways', () => {
    expect(ofKind(out, 'ConfigMap').filter((c) => c.metadata.labels?.app === 'maas-api').length).toBeLessThanOrEqual(1);
  });
});
