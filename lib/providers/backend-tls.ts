import type { IConstruct } from 'constructs';
import { checkDnsSubdomain, checkHostname } from '../internal/checks';
import { inputError } from '../internal/errors';
import { INSECURE_TLS_ANNOTATION } from '../internal/annotations';

/** Annotation on every backend whose certificate is not verified. */
export { INSECURE_TLS_ANNOTATION };

/** Properties of {@link BackendTls.verified}. */
export interface VerifiedTlsProps {
  /**
   * Secret with the CAs that sign the provider's certificate (key `ca.crt`), in
   * the namespace of the proxy that originates TLS. Required on the
   * wg-ai-gateway plane, which verifies only against such a bundle.
   * @default the proxy's system trust store (Istio planes)
   */
  readonly caBundleSecret?: string;
  /**
   * Server name sent in the TLS handshake.
   * @default the provider's hostname (Istio: automatic SNI from the rewritten Host)
   */
  readonly sni?: string;
  /**
   * Names the server certificate must carry.
   * @default the provider's hostname (Istio: automatic SAN check when `sni` is unset too)
   */
  readonly subjectAltNames?: string[];
}

/** Properties of {@link BackendTls.mutual}. */
export interface MutualTlsProps extends VerifiedTlsProps {
  /**
   * Secret (`tls.crt`, `tls.key`) with the client certificate presented to the
   * provider. On Istio planes it is the DestinationRule's `credentialName`, so it
   * also carries the CA (`ca.crt`) unless the system trust store verifies the provider.
   */
  readonly clientCertificateSecret: string;
}

/**
 * TLS origination from the proxy to a provider, with the server's certificate
 * verified by chain and by name. Skipping verification needs the explicitly
 * named {@link BackendTls.insecureSkipVerify}.
 */
export class BackendTls {
  /** Annotation on every backend whose certificate is not verified (`insecureSkipVerify`). */
  public static readonly INSECURE_ANNOTATION = INSECURE_TLS_ANNOTATION;

  /** TLS with the server certificate verified (by default against the system trust store and the provider's hostname). */
  public static verified(props: VerifiedTlsProps = {}): BackendTls {
    return new BackendTls('Simple', props.caBundleSecret, props.sni, props.subjectAltNames, undefined, false);
  }

  /** Mutual TLS: verified server, plus a client certificate. */
  public static mutual(props: MutualTlsProps): BackendTls {
    return new BackendTls('Mutual', props.caBundleSecret, props.sni, props.subjectAltNames, props.clientCertificateSecret, false);
  }

  /**
   * TLS WITHOUT verifying the server: anyone on the path can impersonate the
   * provider and read its key. For tests only; the backend object is annotated
   * `maas-egress/insecure-tls: "true"`.
   */
  public static insecureSkipVerify(): BackendTls {
    return new BackendTls('Simple', undefined, undefined, undefined, undefined, true);
  }

  private constructor(
    /** TLS mode. */
    public readonly mode: 'Simple' | 'Mutual',
    /** CA bundle Secret. */
    public readonly caBundleSecret: string | undefined,
    /** SNI override. */
    public readonly sni: string | undefined,
    /** Required subject alternative names. */
    public readonly subjectAltNames: string[] | undefined,
    /** Client certificate Secret. */
    public readonly clientCertificateSecret: string | undefined,
    /** True when the server certificate is not verified. */
    public readonly insecure: boolean,
  ) {}

  /** Throws, naming `scope`, when a field is invalid. */
  public validate(scope: IConstruct): void {
    if (this.caBundleSecret !== undefined) checkDnsSubdomain(scope, 'CA bundle Secret name', this.caBundleSecret);
    if (this.clientCertificateSecret !== undefined) checkDnsSubdomain(scope, 'client certificate Secret name', this.clientCertificateSecret);
    if (this.sni !== undefined) checkHostname(scope, 'TLS SNI', this.sni);
    for (const name of this.subjectAltNames ?? []) checkHostname(scope, 'TLS subject alternative name', name);
    if (this.subjectAltNames !== undefined && this.subjectAltNames.length === 0) {
      throw inputError(scope, 'TLS subject alternative names', [], 'give at least one name, or leave subjectAltNames unset to check the hostname');
    }
  }
}
