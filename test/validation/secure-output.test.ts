import { ApiObject } from 'cdk8s';
import { DEMO_CREDENTIAL_ANNOTATION, MaasEgressGateway, ProviderCredential, ProviderEndpoint } from '../../lib';
import { demoCredentialValues } from '../../lib/credentials/provider-credential';
import { manifestsOf } from '../../lib/output/manifests';
import { credentialFindings } from '../../lib/validation/credential-scan';
import { allApps, newChart, synth } from '../helpers';

describe.each(allApps())('app %s', (_name, createApp) => {
  const app = createApp();
  const manifests = synth(app);

  test('holds no credential except declared demo values, each in an annotated object', () => {
    expect(credentialFindings(manifests, demoCredentialValues(app))).toEqual([]);
  });

  test('every pod runs restricted, with requests and limits', () => {
    const pods = manifests.flatMap((m: any) => {
      if (m.kind === 'Deployment') return [{ name: `Deployment ${m.metadata.name}`, pod: m.spec.template.spec, containers: m.spec.template.spec.containers }];
      if (m.kind === 'LLMInferenceService') return [{ name: `LLMInferenceService ${m.metadata.name}`, pod: undefined, containers: m.spec.template.containers }];
      return [];
    });
    // every workload kind must be inspected
    const workloads = manifests.filter((m) => ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod', 'LLMInferenceService'].includes(m.kind));
    expect(pods.length).toBe(workloads.length);
    for (const { name, pod, containers } of pods) {
      if (pod) expect({ name, ctx: pod.securityContext }).toEqual({ name, ctx: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } } });
      for (const c of containers) {
        expect({ name, allowPrivilegeEscalation: c.securityContext.allowPrivilegeEscalation, drop: c.securityContext.capabilities.drop })
          .toEqual({ name, allowPrivilegeEscalation: false, drop: ['ALL'] });
        expect(Object.keys(c.resources.requests).sort()).toEqual(['cpu', 'memory']);
        expect(Object.keys(c.resources.limits).sort()).toEqual(['cpu', 'memory']);
      }
    }
  });
});

describe('the credential scan', () => {
  const base = () => {
    const { app, chart } = newChart();
    new MaasEgressGateway(chart, 'egress').addProvider('p', {
      endpoint: ProviderEndpoint.vllm({ hostname: 'v.example.com' }), credential: ProviderCredential.demoLiteral('sk-demo-value-123'), models: ['m'],
    });
    return { app, chart };
  };

  test('finds a real-looking key that bypassed the demo API', () => {
    const { app, chart } = base();
    new ApiObject(chart, 'leak', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'leak', namespace: 'x' }, data: { key: 'sk-proj-abcdefghijklmnop' } });
    expect(credentialFindings(manifestsOf(app), demoCredentialValues(app)))
      .toEqual(['ConfigMap x/leak: /data/key looks like a OpenAI-style key that did not come through ProviderCredential.demoLiteral']);
  });

  test('finds a demo value in an object without the annotation, and Secrets with data', () => {
    const { app, chart } = base();
    new ApiObject(chart, 'copy', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'copy', namespace: 'x' }, data: { k: 'sk-demo-value-123' } });
    new ApiObject(chart, 'secret', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'x' }, stringData: { token: 'abc' } });
    expect(credentialFindings(manifestsOf(app), demoCredentialValues(app))).toEqual([
      `ConfigMap x/copy: /data/k holds a demo credential but the object lacks the annotation ${DEMO_CREDENTIAL_ANNOTATION}`,
      'Secret x/s: a Secret with data is in the manifests; keep secrets out of Git (ExternalSecret, a secret store)',
    ]);
  });

  test('accepts the demo value where the library put it', () => {
    const { app } = base();
    expect(demoCredentialValues(app)).toEqual(['sk-demo-value-123']);
    expect(credentialFindings(manifestsOf(app), demoCredentialValues(app))).toEqual([]);
  });
});
