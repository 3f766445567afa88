import type { IConstruct } from 'constructs';
import { type XBackendDestinationSpecDestinationPortsTls, XBackendDestinationSpecDestinationPortsTlsMode } from '../../../imports/ainetworking.prototype.x-k8s.io';
import { inputError } from '../../internal/errors';
import type { BackendTls } from '../../providers/backend-tls';

/**
 * Throws, naming `scope`, when the prototype cannot honour `tls`: it verifies
 * a provider only against a CA bundle Secret, and otherwise not at all.
 */
export function checkTlsOnWgAiGateway(scope: IConstruct, tls: BackendTls): void {
  if (!tls.insecure && tls.caBundleSecret === undefined) {
    throw inputError(scope, 'TLS without caBundleSecret on the wg-ai-gateway plane', tls.mode,
      'the prototype verifies a provider only against a CA bundle Secret (ca.crt) and otherwise not at all; '
      + 'give BackendTls.verified({ caBundleSecret }), or use EgressDataPlane.istioGateway() or .direct(), which verify against the system trust store');
  }
}

/** The `tls` block of an XBackendDestination port for `hostname`; the name is checked, the prototype checks none by default. */
export function backendDestinationTls(tls: BackendTls, hostname: string): XBackendDestinationSpecDestinationPortsTls {
  return {
    mode: tls.mode === 'Mutual' ? XBackendDestinationSpecDestinationPortsTlsMode.MUTUAL : XBackendDestinationSpecDestinationPortsTlsMode.SIMPLE,
    sni: tls.sni ?? hostname,
    caBundleRef: tls.caBundleSecret ? [{ group: '', kind: 'Secret', name: tls.caBundleSecret }] : undefined,
    subjectAltNames: tls.insecure ? undefined : [...(tls.subjectAltNames ?? [hostname])],
    clientCertificateRef: tls.clientCertificateSecret ? { group: '', kind: 'Secret', name: tls.clientCertificateSecret } : undefined,
    insecureSkipVerify: tls.insecure ? true : undefined,
  };
}
