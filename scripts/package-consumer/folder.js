'use strict';
// Runs in the consumer app: writes the per-object folder with its
// kustomization.yaml (for kubectl apply -k and Argo CD), as the getting-started
// guide shows, for `npm run test:package` to read its order.
const { App, Chart } = require('cdk8s');
const { BudgetTarget, MaasEgressGateway, ProviderCredential, ProviderEndpoint, TierTokenBudget, Manifests } = require('cdk8s-maas-egress');

const app = new App();
const chart = new Chart(app, 'models');
const egress = new MaasEgressGateway(chart, 'egress');
egress.addProvider('openai', {
  endpoint: ProviderEndpoint.openAi(),
  credential: ProviderCredential.fromVault({ address: 'https://vault.vault.svc:8200', path: 'maas/providers/openai', tokenSecret: { name: 'vault-token' } }),
  models: ['gpt-4o'],
});
new TierTokenBudget(chart, 'tier-tokens', { target: BudgetTarget.allProviders(egress), limits: [{ tier: 'free', tokens: 100 }] });
Manifests.writeFolder('folder', Manifests.synthesize(app));
