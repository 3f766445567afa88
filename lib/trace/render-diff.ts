import type { OutputDiff } from './differ';

/** The diff as text for a terminal or a pull request comment. */
export function renderDiff(diff: OutputDiff): string {
  const lines: string[] = [];
  if (!diff.changed) lines.push('No request behaves differently.');
  for (const s of diff.subjects) {
    lines.push(`${s.status.toUpperCase()} ${s.subject} (${s.request})`);
    for (const c of s.changes) {
      // an added subject's old side (and a removed one's new side) is "not served": only the other side says something
      const sides = s.status === 'added' ? [`+ ${c.new}`] : s.status === 'removed' ? [`- ${c.old}`] : [`- ${c.old}`, `+ ${c.new}`];
      lines.push(`  ${c.aspect}${c.caller ? `, ${c.caller}` : ''}: ${sides.length === 1 ? sides[0].slice(2) : ''}`.trimEnd());
      if (sides.length > 1) for (const side of sides) lines.push(`    ${side}`);
    }
  }
  if (diff.objectChanges.length > 0) {
    lines.push('', 'objects:');
    for (const o of diff.objectChanges) lines.push(`  ${o.change} ${o.object}${diff.withoutEffect.includes(o.object) ? ' (no effect on any traced request)' : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
