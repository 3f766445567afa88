import { DEMO_CREDENTIAL_ANNOTATION } from '../internal/annotations';
import { describeManifest, type Manifest } from '../core/manifest';

// Shapes of real provider and platform secrets. A match is a finding unless the
// text is a declared demo value.
const SECRET_PATTERNS: Array<[string, RegExp]> = [
  ['OpenAI-style key', /\bsk-[A-Za-z0-9_-]{8,}/],
  ['Google API key', /\bAIza[0-9A-Za-z_-]{20,}/],
  ['Groq key', /\bgsk_[A-Za-z0-9]{16,}/],
  ['AWS access key', /\bAKIA[0-9A-Z]{16}\b/],
  ['Vault token', /\bhv[sbr]\.[A-Za-z0-9_-]{20,}/],
  ['GitHub token', /\bgh[pousr]_[A-Za-z0-9]{20,}/],
  ['private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['bearer token', /\bBearer [A-Za-z0-9._~+/-]{8,}/],
];

/**
 * Credentials in synthesized objects: secret-shaped strings that are not demo
 * values, demo values in objects without the demo annotation, and Secrets
 * carrying data. Returns one line per finding.
 */
export function credentialFindings(manifests: readonly Manifest[], demoValues: readonly string[]): string[] {
  const findings: string[] = [];
  for (const manifest of manifests) {
    const where = describeManifest(manifest);
    const annotated = (manifest.metadata as any).annotations?.[DEMO_CREDENTIAL_ANNOTATION] === 'true';
    if (manifest.kind === 'Secret' && ((manifest as any).data || (manifest as any).stringData) && !annotated) {
      findings.push(`${where}: a Secret with data is in the manifests; keep secrets out of Git (ExternalSecret, a secret store)`);
    }
    walkStrings(manifest, '', (path, text) => {
      let rest = text;
      for (const demo of demoValues) {
        if (!rest.includes(demo)) continue;
        if (!annotated) findings.push(`${where}: ${path} holds a demo credential but the object lacks the annotation ${DEMO_CREDENTIAL_ANNOTATION}`);
        rest = rest.split(demo).join('');
      }
      for (const [name, pattern] of SECRET_PATTERNS) {
        if (pattern.test(rest)) findings.push(`${where}: ${path} looks like ${/^[AEIOU]/i.test(name) ? 'an' : 'a'} ${name} that did not come through ProviderCredential.demoLiteral`);
      }
    });
  }
  return findings;
}

function walkStrings(value: unknown, path: string, visit: (path: string, text: string) => void): void {
  if (typeof value === 'string') visit(path || '/', value);
  else if (Array.isArray(value)) value.forEach((item, i) => walkStrings(item, `${path}/${i}`, visit));
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) walkStrings(item, `${path}/${key}`, visit);
  }
}
