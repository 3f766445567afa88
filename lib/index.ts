// Public API of the library.
export * from './platform/gateway-reference';
export * from './platform/tier-source';
export * from './platform/maas-identity';
export * from './platform/maas-platform';
export { ProviderCredential, CredentialBinding, CredentialBindOptions, DEMO_CREDENTIAL_ANNOTATION } from './credentials/provider-credential';
export * from './credentials/key-header';
export * from './providers/provider-endpoint';
export * from './constructs/maas-egress-gateway';
export * from './constructs/external-provider';
export * from './constructs/external-model-registry';
export { TierTokenBudget, TierTokenBudgetProps, TierLimit, BudgetTarget } from './constructs/tier-token-budget';
export * from './constructs/provider-simulator';
export { WgAiGatewayController, WgAiGatewayControllerProps } from './constructs/wg-ai-gateway-controller';
export * from './constructs/simulated-on-prem-model';
