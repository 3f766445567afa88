import type { ExternalProvider } from '../../constructs/external-provider';
import { ExternalModelRegistry } from '../../constructs/external-model-registry';
import type { MaasEgressGateway } from '../../constructs/maas-egress-gateway';
import type { TierTokenBudget } from '../../constructs/tier-token-budget';
import type { UnifiedModelEndpoint } from '../../constructs/unified-model-endpoint';
import { inputError } from '../../internal/errors';
import { DataPlaneBinding } from '../../planes/data-plane-binding';
import type { SharedModelOptions } from '../../providers/model-route';
import { declareExistingGateway } from '../../validation/existing-objects';
import { GatewayReference } from '../gateway-reference';
import { MaasIdentity } from '../maas-identity';
import { PlatformRealization } from '../platform-realization';
import { addProviderBridge } from './provider-bridge';
import { addUnifiedEndpointObjects } from './unified-endpoint-objects';

/** What the tier-based platform is configured with. */
export interface TierBasedSettings {
  readonly gateway: GatewayReference;
  readonly identity: MaasIdentity;
  readonly apiNamespace: string;
}

/**
 * Tier-based MaaS: the egress gateway's data plane, a bridge route and
 * AuthPolicy per provider on the MaaS gateway, TokenRateLimitPolicies per tier,
 * and the registry ConfigMap the patched MaaS API lists.
 */
export class TierBasedRealization implements PlatformRealization {
  public readonly plane: DataPlaneBinding;
  public readonly registry: ExternalModelRegistry;

  constructor(private readonly egress: MaasEgressGateway, private readonly settings: TierBasedSettings) {
    declareExistingGateway(egress, settings.gateway);
    this.plane = egress.dataPlane._bind(egress);
    this.registry = ExternalModelRegistry.shared(egress, { namespace: settings.apiNamespace, name: egress.registryName });
  }

  public addProvider(provider: ExternalProvider): void {
    for (const model of provider.models) {
      this.registry.register(provider, { id: model, provider: provider.name, backend: this.plane.backendName(provider) });
    }
    this.plane.addProvider(provider);
    addProviderBridge(provider, this.plane, this.settings.identity);
  }

  public addProviderBudget(budget: TierTokenBudget, provider: ExternalProvider): void {
    budget._addPolicy({
      kind: 'HTTPRoute',
      name: provider.bridgeRouteName,
      namespace: provider.bridgeNamespace,
      suffix: provider.name,
      identity: this.settings.identity,
    });
  }

  public addSharedModel(modelId: string, options: SharedModelOptions): void {
    throw inputError(this.egress, 'model served by several providers', { model: modelId, providers: (options.routes ?? []).map((r) => r.provider.name) },
      'the tier-based platform\'s data planes route each provider by its own path and cannot split one model\'s traffic by weight; list the model under one provider, or use MaasPlatform.subscriptionBased(...) whose ExternalModel takes weighted providers');
  }

  public addUnifiedEndpoint(endpoint: UnifiedModelEndpoint): void {
    addUnifiedEndpointObjects(endpoint, this.egress, this.plane, this.settings);
  }
}
