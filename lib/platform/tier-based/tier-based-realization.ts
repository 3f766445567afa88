import { ExternalModelRegistry } from './external-model-registry';
import { TokenRateLimitPolicy } from '../../../imports/kuadrant.io';
import { resolveTierLimits, type TierLimit } from '../../contracts/tier-limits';
import { tierTokenLimits } from './tier-token-limits';
import { inputError } from '../../internal/errors';
import type { SharedModelOptions } from '../../contracts/model-route';
import { declareExistingGateway } from '../../validation/existing-objects';
import { GatewayReference } from '../../core/gateway-reference';
import { MaasIdentity } from '../../contracts/maas-identity';
import type { IPlatformRealization } from '../../contracts/platform-realization';
import { checkKuadrantVersion, checkOpenShiftVersion } from './supported-versions';
import { addProviderBridge } from './provider-bridge';
import { addUnifiedEndpointObjects } from './unified-endpoint-objects';
import type { IDataPlaneBinding } from '../../contracts/data-plane-binding';
import type { IEgressGateway } from '../../contracts/egress-gateway';
import type { IExternalProvider } from '../../contracts/external-provider';
import type { ITierTokenBudget } from '../../contracts/tier-token-budget';
import type { IUnifiedModelEndpoint } from '../../contracts/unified-model-endpoint';

/** Construct id of a provider's default token policy. */
const DEFAULT_BUDGET_ID = 'DefaultTokenBudget';

/** What the tier-based platform is configured with. */
export interface TierBasedSettings {
  readonly gateway: GatewayReference;
  readonly identity: MaasIdentity;
  readonly apiNamespace: string;
  /** The tiers the platform knows with their default budgets (validated by the realization). */
  readonly tiers: readonly TierLimit[];
  readonly kuadrantVersion: string;
  readonly openShiftVersion: string;
}

/** {@link TierBasedSettings} as checked against one egress gateway. */
export interface CheckedTierBasedSettings extends TierBasedSettings {
  readonly tiers: readonly Required<TierLimit>[];
  /** Names of {@link tiers}, in order. */
  readonly knownTiers: readonly string[];
}

/**
 * Tier-based MaaS: the egress gateway's data plane, a bridge route and
 * AuthPolicy per provider on the MaaS gateway, TokenRateLimitPolicies per tier,
 * and the registry ConfigMap the patched MaaS API lists.
 */
export class TierBasedRealization implements IPlatformRealization {
  public readonly plane: IDataPlaneBinding;
  public readonly registry: ExternalModelRegistry;

  public readonly settings: CheckedTierBasedSettings;
  private readonly budgets = new Map<IExternalProvider, readonly Required<TierLimit>[]>();

  constructor(private readonly egress: IEgressGateway, settings: TierBasedSettings) {
    const tiers = resolveTierLimits(egress, settings.tiers);
    this.settings = {
      ...settings,
      tiers,
      knownTiers: tiers.map((t) => t.tier),
      kuadrantVersion: checkKuadrantVersion(egress, settings.kuadrantVersion),
      openShiftVersion: checkOpenShiftVersion(egress, settings.openShiftVersion),
    };
    settings.identity.tierSource._validate(egress);
    declareExistingGateway(egress, settings.gateway);
    this.plane = egress.dataPlane.bind(egress);
    this.registry = ExternalModelRegistry.shared(egress, { namespace: settings.apiNamespace, name: egress.registryName });
  }

  public addProvider(provider: IExternalProvider): void {
    for (const model of provider.models) {
      this.registry.register(provider, { id: model, provider: provider.name, backend: this.plane.backendName(provider) });
    }
    this.plane.addProvider(provider);
    addProviderBridge(provider, this.plane, this.settings);
    this.addDefaultBudget(provider);
  }

  public addProviderBudget(budget: ITierTokenBudget, provider: IExternalProvider): void {
    const limits = budget._addPolicy({
      kind: 'HTTPRoute',
      name: provider.bridgeRouteName,
      namespace: provider.bridgeNamespace,
      suffix: provider.name,
      identity: this.settings.identity,
      knownTiers: this.settings.tiers,
    });
    // the budget's policy replaces the platform's default one on this route
    provider.node.tryRemoveChild(DEFAULT_BUDGET_ID);
    this.budgets.set(provider, limits);
  }

  /** The per-tier limits that hold on `provider`'s route: its budget's, or the platform's tiers. */
  public providerLimits(provider: IExternalProvider): readonly Required<TierLimit>[] {
    return this.budgets.get(provider) ?? this.settings.tiers;
  }

  /**
   * Every provider route gets a token policy with every known tier, so none
   * falls back to whatever the gateway's policy says (or to none); a
   * ITierTokenBudget on the provider replaces it.
   */
  private addDefaultBudget(provider: IExternalProvider): void {
    new TokenRateLimitPolicy(provider, DEFAULT_BUDGET_ID, {
      metadata: { name: `${provider.bridgeRouteName}-tokens`, namespace: provider.bridgeNamespace },
      spec: {
        targetRef: { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: provider.bridgeRouteName },
        limits: tierTokenLimits(this.settings.tiers, this.settings.identity),
      },
    });
  }

  public addSharedModel(modelId: string, options: SharedModelOptions): void {
    throw inputError(this.egress, 'model served by several providers', { model: modelId, providers: (options.routes ?? []).map((r) => r.provider.name) },
      'the tier-based platform\'s data planes route each provider by its own path and cannot split one model\'s traffic by weight; list the model under one provider, or use MaasPlatform.subscriptionBased(...) whose ExternalModel takes weighted providers');
  }

  public addUnifiedEndpoint(endpoint: IUnifiedModelEndpoint): void {
    addUnifiedEndpointObjects(endpoint, this.egress, this.plane, this.settings, (provider) => this.providerLimits(provider));
  }
}
