import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { REPO_DIR } from '../helpers';

// The published type declarations (build/lib/**/*.d.ts, what `files` ships)
// hold no member marked @internal: tsconfig's stripInternal removes them.
function declarationFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? declarationFiles(full) : entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

describe('published declarations', () => {
  const files = declarationFiles(path.join(REPO_DIR, 'build', 'lib'));

  test('exist', () => {
    expect(files.map((f) => path.relative(REPO_DIR, f))).toContain(path.join('build', 'lib', 'index.d.ts'));
  });

  test('carry no @internal member', () => {
    const internal = files.filter((file) => fs.readFileSync(file, 'utf8').includes('@internal')).map((f) => path.relative(REPO_DIR, f));
    expect(internal).toEqual([]);
  });

  test('do not declare the members marked @internal (BudgetTarget._attach)', () => {
    const budget = fs.readFileSync(path.join(REPO_DIR, 'build', 'lib', 'constructs', 'tier-token-budget.d.ts'), 'utf8');
    expect(budget).not.toMatch(/_attach|PolicyTarget/);
  });

  test('reach no generated CRD types: a consumer\'s compiler loads none of build/imports', () => {
    // what ts-node or tsc parse for `import ... from 'cdk8s-maas-egress'`: every declaration file reachable from the entry point
    const program = ts.createProgram([path.join(REPO_DIR, 'build', 'lib', 'index.d.ts')], { noEmit: true, skipLibCheck: true, types: [] });
    const ours = program.getSourceFiles().map((f) => path.relative(REPO_DIR, f.fileName)).filter((f) => f.startsWith('build'));
    expect(ours).toContain(path.join('build', 'lib', 'index.d.ts'));
    expect(ours.filter((f) => f.startsWith(path.join('build', 'imports')))).toEqual([]);
  });
});
