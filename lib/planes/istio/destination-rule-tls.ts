import type { IConstruct } from 'constructs';
import { type DestinationRuleSpecTrafficPolicyTls, DestinationRuleSpecTrafficPolicyTlsMode } from '../../../imports/networking.istio.io';
import { inputError } from '../../internal/errors';
import type { BackendTls } from '../../providers/backend-tls';

/**
 * Throws, naming `scope`, when Istio cannot honour `tls`: it reads the client
 * certificate and the CA from one Secret (DestinationRule `credentialName`).
 */
export function checkTlsOnIstio(scope: IConstruct, tls: BackendTls): void {
  if (tls.mode === 'Mutual' && tls.caBundleSecret !== undefined && tls.caBundleSecret !== tls.clientCertificateSecret) {
    throw inputError(scope, 'CA bundle Secret for mutual TLS on Istio', tls.caBundleSecret,
      `Istio reads the client certificate and the CA from one Secret (DestinationRule credentialName): put ca.crt into "${tls.clientCertificateSecret}" and leave caBundleSecret unset or equal to it`);
  }
}

/**
 * The DestinationRule `trafficPolicy.tls` for `hostname`. Without `sni` and
 * `subjectAltNames` Istio sets SNI from the request's (rewritten) Host and
 * checks the certificate against it; setting `sni` turns that check off, so a
 * SAN list (default: the hostname) goes with it.
 */
export function destinationRuleTls(tls: BackendTls, hostname: string): DestinationRuleSpecTrafficPolicyTls {
  const sans = tls.subjectAltNames ?? (tls.sni !== undefined ? [hostname] : undefined);
  return {
    mode: tls.mode === 'Mutual' ? DestinationRuleSpecTrafficPolicyTlsMode.MUTUAL : DestinationRuleSpecTrafficPolicyTlsMode.SIMPLE,
    credentialName: tls.clientCertificateSecret ?? tls.caBundleSecret,
    sni: tls.sni,
    subjectAltNames: tls.insecure ? undefined : sans && [...sans],
    insecureSkipVerify: tls.insecure ? true : undefined,
  };
}
