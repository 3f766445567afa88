import { ApiObject } from 'cdk8s';
import { KubeSecret } from '../../internal/kube-objects';
import { Construct } from 'constructs';
import {
  ExternalSecret,
  ExternalSecretSpecSecretStoreRefKind,
  ExternalSecretSpecTargetCreationPolicy,
  ExternalSecretSpecTargetTemplateMergePolicy,
} from '../../../imports/external-secrets.io';
import { SecretStoreRef } from '../../credentials/store-token-external-secret';

/** Label without which current MaaS's payload processor does not see a key Secret. */
export const IPP_MANAGED_LABEL = 'inference.llm-d.ai/ipp-managed';
/** Data key the payload processor reads the provider key from. */
export const IPP_KEY_FIELD = 'api-key';

/** Where a provider's key Secret goes on current MaaS. */
export interface IppKeySecretOptions {
  /** Name of the Secret (the ExternalProvider's `auth.secretRef`). */
  readonly name: string;
  /** The provider's (and model's) namespace. */
  readonly namespace: string;
  /** External Secrets store that store-backed keys are read through, if the platform names one. */
  readonly keyStore?: SecretStoreRef;
}

/** A labelled Secret holding a demo key in clear text, annotated as such. */
export function demoKeySecret(scope: Construct, options: IppKeySecretOptions, key: string, demoAnnotation: string): ApiObject {
  return new KubeSecret(scope, 'KeySecret', {
    metadata: {
      name: options.name,
      namespace: options.namespace,
      labels: { [IPP_MANAGED_LABEL]: 'true' },
      annotations: { [demoAnnotation]: 'true' },
    },
    type: 'Opaque',
    stringData: { [IPP_KEY_FIELD]: key },
  });
}

/** Where a store-backed key lives in its store. */
export interface StoreKeyRef {
  /** Key of the entry in the store, e.g. the Vault KV path. */
  readonly remoteKey: string;
  /** Property of the entry holding the key. */
  readonly property?: string;
}

/**
 * An ExternalSecret that writes the labelled key Secret from a store, so the key
 * never enters Git; the label travels through the target template.
 */
export function storeKeyExternalSecret(scope: Construct, options: IppKeySecretOptions, store: SecretStoreRef, ref: StoreKeyRef): ApiObject {
  return storeExternalSecret(scope, options, store, [{ secretKey: IPP_KEY_FIELD, ...ref }]);
}

/** One data key of a labelled Secret and where its value lives in the store. */
export interface StoreSecretEntry extends StoreKeyRef {
  /** Data key in the Secret, as the payload processor reads it. */
  readonly secretKey: string;
}

/** An ExternalSecret that writes the labelled Secret with several data keys (cloud credentials). */
export function storeExternalSecret(scope: Construct, options: IppKeySecretOptions, store: SecretStoreRef, entries: readonly StoreSecretEntry[]): ApiObject {
  return new ExternalSecret(scope, 'KeyExternalSecret', {
    metadata: { name: options.name, namespace: options.namespace },
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { kind: store.kind as ExternalSecretSpecSecretStoreRefKind, name: store.name },
      target: {
        name: options.name,
        creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER,
        template: {
          mergePolicy: ExternalSecretSpecTargetTemplateMergePolicy.MERGE,
          metadata: { labels: { [IPP_MANAGED_LABEL]: 'true' } },
        },
      },
      data: entries.map((e) => ({ secretKey: e.secretKey, remoteRef: { key: e.remoteKey, property: e.property } })),
    },
  });
}
