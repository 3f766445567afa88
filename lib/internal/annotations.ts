// Annotations the library writes on objects and reads back (checks, trace):
// defined here, below everything that writes or reads them.

/** On every object that holds a demo credential in clear text. */
export const DEMO_CREDENTIAL_ANNOTATION = 'maas-egress/demo-credentials';

/** On every route that sends a provider key over plain HTTP. */
export const PLAINTEXT_KEY_ANNOTATION = 'maas-egress/plaintext-key';

/** On every backend whose certificate is not verified. */
export const INSECURE_TLS_ANNOTATION = 'maas-egress/insecure-tls';
