import { OutputDiff } from './differ';

/** The diff as text for a terminal or a pull request comment. */
export function renderDiff(diff: OutputDiff): string {
  const lines: string[] = [];
  if (!diff.changed) lines.push('No request behaves differently.');
  for (const s of diff.subjects) {
    lines.push(`${s.status.toUpperCase()} ${s.subject} (${s.request})`);
    for (const c of s.changes) {
      lines.push(`  ${c.aspect}${c.caller ? `, ${c.caller}` : ''}:`);
      lines.push(`    - ${c.old}`);
      lines.push(`    + ${c.new}`);
    }
  }
  if (diff.objectChanges.length > 0) {
    lines.push('', 'objects:');
    for (const o of diff.objectChanges) lines.push(`  ${o.change} ${o.object}${diff.withoutEffect.includes(o.object) ? ' (no effect on any traced request)' : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
