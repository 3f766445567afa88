import * as path from 'path';
import { readYamlDir, REPO_DIR } from '../helpers';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { projectPayloadProcessor } = require(path.join(REPO_DIR, 'scripts', 'verify-ipp-projection.js'));

describe('what the payload processor creates (as read at ai-gateway-payload-processing@3523334)', () => {
  const manifests = readYamlDir(path.join(REPO_DIR, 'dist', 'current-maas')).filter((m) => m.kind !== 'Kustomization');
  const projected: any[] = projectPayloadProcessor(manifests);
  const of = (kind: string) => projected.filter((o) => o.kind === kind);

  test('per provider an ExternalName Service, a ServiceEntry on 443 HTTPS and a TLS SIMPLE DestinationRule, named after it', () => {
    const providers = manifests.filter((m) => m.kind === 'ExternalProvider') as any[];
    for (const provider of providers) {
      const named = projected.filter((o) => o.metadata.name === provider.metadata.name);
      expect(named.map((o) => o.kind).sort()).toEqual(['DestinationRule', 'Service', 'ServiceEntry']);
      expect(named.find((o) => o.kind === 'ServiceEntry').spec.ports).toEqual([{ number: 443, name: 'https', protocol: 'HTTPS' }]);
      expect(named.find((o) => o.kind === 'DestinationRule').spec).toEqual({ host: provider.spec.endpoint, trafficPolicy: { tls: { mode: 'SIMPLE' } } });
    }
  });

  test('per model an HTTPRoute on the MaaS gateway with two rules per provider plus two fallbacks', () => {
    const models = manifests.filter((m) => m.kind === 'ExternalModel') as any[];
    expect(of('HTTPRoute').map((r) => r.metadata.name).sort()).toEqual(models.map((m) => m.metadata.name).sort());
    for (const model of models) {
      const route = of('HTTPRoute').find((r) => r.metadata.name === model.metadata.name);
      expect(route.spec.parentRefs).toEqual([{ name: 'maas-default-gateway', namespace: 'openshift-ingress' }]);
      expect(route.spec.rules).toHaveLength(2 * model.spec.externalProviderRefs.length + 2);
      // the model header of every rule is the target model: on odh-2.0 the library makes it the model id, which clients send
      const modelHeaders = route.spec.rules.flatMap((r: any) => r.matches.flatMap((m: any) => (m.headers ?? []).filter((h: any) => h.name === 'X-Gateway-Model-Name')));
      expect(new Set(modelHeaders.map((h: any) => h.value))).toEqual(new Set([model.metadata.name]));
    }
  });

  test('an output without ExternalModels projects nothing', () => {
    expect(projectPayloadProcessor(readYamlDir(path.join(REPO_DIR, 'dist', 'single-hop')))).toEqual([]);
  });
});
