import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { REPO_DIR } from './helpers';

// Every ```ts block of README.md and of the guides in docs/ must type-check
// against the library's public API (as published: the compiled declarations)
// and synthesize when run.

const PACKAGE = 'cdk8s-maas-egress';
const { pagesOf } = require(path.join(REPO_DIR, 'scripts', 'check-docs.js'));
const blocks: Array<{ page: string; code: string }> = (pagesOf(REPO_DIR) as string[]).flatMap((page) =>
  [...fs.readFileSync(path.join(REPO_DIR, page), 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => ({ page, code: m[1] })));
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-examples-'));
const files = blocks.map((block, i) => {
  const file = path.join(workDir, `${path.basename(block.page, '.md')}-example-${i + 1}.ts`);
  fs.writeFileSync(file, block.code);
  return file;
});

describe('README examples', () => {
  afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

  test('the README and the guides have examples', () => {
    expect(blocks.filter((b) => b.page === 'README.md').length).toBeGreaterThan(0);
    expect(new Set(blocks.map((b) => b.page)).size).toBeGreaterThan(3);
  });

  test('they type-check against the public API', () => {
    const program = ts.createProgram(files, {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      esModuleInterop: true,
      skipLibCheck: true,
      types: ['node'],
      typeRoots: [path.join(REPO_DIR, 'node_modules', '@types')],
      baseUrl: REPO_DIR,
      paths: { [PACKAGE]: ['build/lib/index.d.ts'], '*': ['node_modules/*'] },
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(problems).toEqual([]);
  });

  test.each(blocks.map((block, i) => [`${block.page} example ${i + 1}`, block.code]))('%s synthesizes', (_name, code) => {
    const js = ts.transpileModule(code as string, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
    const outdir = fs.mkdtempSync(path.join(workDir, 'out-'));
    const previous = process.env.CDK8S_OUTDIR;
    process.env.CDK8S_OUTDIR = outdir;
    try {
      const run = new Function('require', 'exports', js);
      run((id: string) => require(id === PACKAGE ? path.join(REPO_DIR, 'build', 'lib', 'index.js') : id), {});
    } finally {
      if (previous === undefined) delete process.env.CDK8S_OUTDIR; else process.env.CDK8S_OUTDIR = previous;
    }
    expect(fs.readdirSync(outdir).length).toBeGreaterThan(0);
  });
});
