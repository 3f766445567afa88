// A user's cdk8s app, built by `npm run test:package` against the packed
// package: it imports only the public entry point 'cdk8s-maas-egress'.
import { App, Chart } from 'cdk8s';
import {
  BackendTls,
  BudgetTarget,
  MaasEgressGateway,
  ProviderCredential,
  ProviderEndpoint,
  TierTokenBudget,
} from 'cdk8s-maas-egress';

const app = new App({ outdir: 'dist' });
const chart = new Chart(app, 'egress');
// the default data plane: provider routes on the MaaS gateway itself
const egress = new MaasEgressGateway(chart, 'egress');

egress.addProvider('openai', {
  endpoint: ProviderEndpoint.openAi({ tls: BackendTls.verified({ caBundleSecret: egress.declareExistingSecret('public-ca-bundle') }) }),
  credential: ProviderCredential.fromVault({
    address: 'https://vault.vault.svc:8200',
    path: 'maas/providers/openai',
    tokenSecret: { name: 'vault-token' },
  }),
  models: ['gpt-4o-mini'],
});

egress.addProvider('lab', { unsafeAllowKeyOverPlainHttp: true,
  endpoint: ProviderEndpoint.vllm({ hostname: 'vllm.lab.example.com' }),
  credential: ProviderCredential.demoLiteral('lab-demo-key'),
  models: ['granite-3-8b'],
});

new TierTokenBudget(chart, 'tier-tokens', {
  target: BudgetTarget.allProviders(egress),
  limits: [{ tier: 'free', tokens: 100, window: '1m' }],
});

app.synth();
