/**
 * The TypeScript code blocks of a Markdown file: every fence whose info string is `ts` or
 * `typescript`. A block is a module an adopter could paste into a `.ts` file of an ESM project:
 * it brings its own imports; the few values a snippet is handed (an express `app`, a built
 * `verifier`, …) are declared once in `given.d.ts`, and a block that declares one itself
 * shadows it.
 */
export interface CodeBlock {
  /** The Markdown file, relative to the repository root. */
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly code: string;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/;

export function extractTypeScriptBlocks(file: string, markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  let open:
    { fence: string; indent: number; line: number; body: string[]; wanted: boolean } | undefined;
  lines.forEach((text, index) => {
    const match = FENCE.exec(text);
    if (open === undefined) {
      if (match === null) return;
      const [, indent = '', fence = '', info = ''] = match;
      open = {
        fence,
        indent: indent.length,
        line: index + 1,
        body: [],
        wanted: /^(ts|typescript)$/i.test(info),
      };
      return;
    }
    const closing = text.trim();
    if (closing.length >= open.fence.length && closing === open.fence[0]!.repeat(closing.length)) {
      if (open.wanted) blocks.push({ file, line: open.line, code: open.body.join('\n') + '\n' });
      open = undefined;
      return;
    }
    open.body.push(text.slice(Math.min(open.indent, text.length - text.trimStart().length)));
  });
  return blocks;
}
