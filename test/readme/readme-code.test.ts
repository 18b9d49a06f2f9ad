import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { extractTypeScriptBlocks } from './extract-blocks.js';
import type { CodeBlock } from './extract-blocks.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The READMEs adopters read: their TypeScript blocks must compile as written. */
const READMES = [
  'README.md',
  'packages/verifier/README.md',
  'packages/publisher/README.md',
  'packages/protocol/README.md',
  'packages/kafka-connection/README.md',
  'packages/operator/README.md',
];

/**
 * Type-checks blocks against the built packages (their `types` entries, as an adopter's
 * compiler sees them) with the strict options of an ESM Node project, and returns each error
 * as `file:line: message` at its line in the Markdown file.
 */
function compileBlocks(blocks: readonly CodeBlock[], folder: string): string[] {
  const dir = join(ROOT, '.cache', 'readme-blocks', folder);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = new Map<string, CodeBlock>();
  blocks.forEach((block, index) => {
    const path = join(dir, `block-${index}.ts`);
    // Every block is a module, even one without imports, so its names stay its own.
    writeFileSync(path, `${block.code}\nexport {};\n`);
    files.set(path, block);
  });
  const program = ts.createProgram([...files.keys(), join(ROOT, 'test', 'readme', 'given.d.ts')], {
    target: ts.ScriptTarget.ES2023,
    lib: ['lib.es2023.d.ts'],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    verbatimModuleSyntax: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
  });
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    const block = diagnostic.file === undefined ? undefined : files.get(diagnostic.file.fileName);
    if (diagnostic.file === undefined || block === undefined) {
      const where =
        diagnostic.file === undefined ? '' : `${relative(ROOT, diagnostic.file.fileName)}: `;
      return `${where}${message}`;
    }
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
    return `${block.file}:${block.line + 1 + line}: ${message}`;
  });
}

// A TypeScript program over the packages' declarations takes seconds, more on a busy machine.
describe('README code', { timeout: 60_000 }, () => {
  it('compiles every TypeScript block of the adopters’ READMEs as written', () => {
    const blocks = READMES.flatMap((file) =>
      extractTypeScriptBlocks(file, readFileSync(join(ROOT, file), 'utf8')),
    );
    expect(blocks.length).toBeGreaterThan(5);
    expect(compileBlocks(blocks, 'readmes')).toEqual([]);
  });

  it('reports a block that does not compile at its line in the Markdown file', () => {
    const markdown = [
      '# Title',
      '```ts',
      "import { createVerifier } from '@revocation-fabric/verifier';",
      'createVerifier({ issuer: 42 });',
      '```',
      '```sh',
      'not typescript',
      '```',
    ].join('\n');
    const blocks = extractTypeScriptBlocks('BROKEN.md', markdown);
    expect(blocks).toHaveLength(1);
    const errors = compileBlocks(blocks, 'self-test');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatch(/^BROKEN\.md:4: /);
  });
});
