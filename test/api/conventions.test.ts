import * as path from 'path';
import * as ts from 'typescript';
import { REPO_DIR } from '../helpers';

// Conventions of the public API beyond what jsii enforces (test/api/jsii.test.ts
// runs jsii itself): readonly properties, `@default` on every optional property,
// no generic declarations.

const program = ts.createProgram([path.join(REPO_DIR, 'lib', 'index.ts')], { strict: true, target: ts.ScriptTarget.ES2022 });
const checker = program.getTypeChecker();
const index = program.getSourceFile(path.join(REPO_DIR, 'lib', 'index.ts'))!;
const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(index)!)
  .map((s) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s));

function declarationsOf(kind: (d: ts.Declaration) => boolean): ts.Declaration[] {
  return exported.flatMap((s) => s.declarations ?? []).filter(kind);
}

function where(node: ts.Node): string {
  const file = node.getSourceFile();
  const { line } = file.getLineAndCharacterOfPosition(node.getStart());
  return `${path.relative(REPO_DIR, file.fileName)}:${line + 1}`;
}

const hasModifier = (node: ts.Node, kind: ts.SyntaxKind) =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
const docTags = (node: ts.Node) => ts.getJSDocTags(node).map((t) => t.tagName.text);

describe('public API', () => {
  const interfaces = declarationsOf(ts.isInterfaceDeclaration) as ts.InterfaceDeclaration[];
  const classes = declarationsOf(ts.isClassDeclaration) as ts.ClassDeclaration[];

  test('exports interfaces and classes to check', () => {
    expect(interfaces.length).toBeGreaterThan(20);
    expect(classes.length).toBeGreaterThan(15);
  });

  test('every interface property is readonly, and every optional one documents its @default', () => {
    const problems: string[] = [];
    for (const decl of interfaces) {
      for (const member of decl.members.filter(ts.isPropertySignature)) {
        const name = `${decl.name.text}.${member.name.getText()}`;
        if (!hasModifier(member, ts.SyntaxKind.ReadonlyKeyword)) problems.push(`${where(member)} ${name} is not readonly`);
        if (member.questionToken && !docTags(member).includes('default')) problems.push(`${where(member)} ${name} is optional without @default`);
      }
    }
    expect(problems).toEqual([]);
  });

  test('public class properties are readonly', () => {
    const problems: string[] = [];
    for (const decl of classes) {
      for (const member of decl.members) {
        const isPublicField = ts.isPropertyDeclaration(member)
          && !hasModifier(member, ts.SyntaxKind.PrivateKeyword) && !hasModifier(member, ts.SyntaxKind.ProtectedKeyword);
        if (isPublicField && !hasModifier(member, ts.SyntaxKind.ReadonlyKeyword)) problems.push(`${where(member)} ${decl.name?.text}.${member.name.getText()} is not readonly`);
      }
      const ctor = decl.members.find(ts.isConstructorDeclaration);
      for (const param of ctor?.parameters ?? []) {
        if (hasModifier(param, ts.SyntaxKind.PublicKeyword) && !hasModifier(param, ts.SyntaxKind.ReadonlyKeyword)) {
          problems.push(`${where(param)} ${decl.name?.text}.${param.name.getText()} is not readonly`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test('no generic interfaces, classes or public methods', () => {
    const problems: string[] = [];
    for (const decl of [...interfaces, ...classes]) {
      if (decl.typeParameters?.length) problems.push(`${where(decl)} ${decl.name?.text} is generic`);
      for (const member of decl.members) {
        if (hasModifier(member, ts.SyntaxKind.PrivateKeyword)) continue;
        if ((ts.isMethodDeclaration(member) || ts.isMethodSignature(member)) && member.typeParameters?.length) {
          problems.push(`${where(member)} ${decl.name?.text}.${member.name.getText()} is generic`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
