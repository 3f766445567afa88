import { IConstruct } from 'constructs';
import { XBackendDestinationSpecDestinationPortsTls, XBackendDestinationSpecDestinationPortsTlsMode } from '../../imports/ainetworking.prototype.x-k8s.io';
import { checkDnsSubdomain, checkHostname } from '../internal/checks';

/** Annotation put on an XBackendDestination whose server certificate is not verified. */
export const INSECURE_TLS_ANNOTATION = 'maas-egress/insecure-tls';

/** Properties of {@link BackendTls.verified}. */
export interface VerifiedTlsProps {
  /** Secret (key `ca.crt`, in the egress gateway's namespace) with the CAs that sign the provider's certificate. */
  readonly caBundleSecret: string;
  /**
   * Server name sent in the TLS handshake.
   * @default the provider's hostname
   */
  readonly sni?: string;
  /**
   * Names the server certificate must carry.
   * @default none beyond the CA check
   */
  readonly subjectAltNames?: string[];
}

/** Properties of {@link BackendTls.mutual}. */
export interface MutualTlsProps extends VerifiedTlsProps {
  /** Secret (`tls.crt`, `tls.key`) with the client certificate presented to the provider. */
  readonly clientCertificateSecret: string;
}

/**
 * TLS origination from the egress Envoy to a provider. The wg-ai-gateway
 * prototype does not verify the server certificate unless a CA bundle is
 * referenced, so a bundle is required; skipping verification needs the
 * explicitly named {@link BackendTls.insecureSkipVerify}.
 */
export class BackendTls {
  /** TLS with the server certificate verified against a CA bundle Secret. */
  public static verified(props: VerifiedTlsProps): BackendTls {
    return new BackendTls('Simple', props.caBundleSecret, props.sni, props.subjectAltNames, undefined, false);
  }

  /** Mutual TLS: verified server, plus a client certificate. */
  public static mutual(props: MutualTlsProps): BackendTls {
    return new BackendTls('Mutual', props.caBundleSecret, props.sni, props.subjectAltNames, props.clientCertificateSecret, false);
  }

  /**
   * TLS WITHOUT verifying the server: anyone on the path can impersonate the
   * provider and read its key. For tests only; the object is annotated
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
  }

  /** The `tls` block of an XBackendDestination port for `hostname`. */
  public toPortTls(hostname: string): XBackendDestinationSpecDestinationPortsTls {
    return {
      mode: this.mode === 'Mutual' ? XBackendDestinationSpecDestinationPortsTlsMode.MUTUAL : XBackendDestinationSpecDestinationPortsTlsMode.SIMPLE,
      sni: this.sni ?? hostname,
      caBundleRef: this.caBundleSecret ? [{ group: '', kind: 'Secret', name: this.caBundleSecret }] : undefined,
      subjectAltNames: this.subjectAltNames ? [...this.subjectAltNames] : undefined,
      clientCertificateRef: this.clientCertificateSecret ? { group: '', kind: 'Secret', name: this.clientCertificateSecret } : undefined,
      insecureSkipVerify: this.insecure ? true : undefined,
    };
  }
}

