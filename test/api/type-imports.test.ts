import * as path from 'path';
import * as ts from 'typescript';
import { REPO_DIR } from '../helpers';

// An import that brings only types into lib/ says so (`import type`, or `type` on
// the name): the layers test reads such imports as dependencies all the same,
// but the compiled JavaScript loads no module for them.
test('every import of lib/ that only a type uses is a type-only import', () => {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(REPO_DIR, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
  const files = config.fileNames.filter((f) => path.relative(REPO_DIR, f).startsWith(`lib${path.sep}`));
  // verbatimModuleSyntax reports exactly these imports (TS1484); its other complaints are about CommonJS output
  const program = ts.createProgram(files, { ...config.options, verbatimModuleSyntax: true, noEmit: true });
  const found = ts.getPreEmitDiagnostics(program).filter((d) => d.code === 1484 && d.file && files.includes(d.file.fileName))
    .map((d) => `${path.relative(REPO_DIR, d.file!.fileName)}:${d.file!.getLineAndCharacterOfPosition(d.start ?? 0).line + 1} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
  expect(found).toEqual([]);
});
