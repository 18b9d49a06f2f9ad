/** Reading the one value a command takes from stdin (`inspect -`, `revoke token -`). */
import type { CliInput } from '../io.js';

/** All of stdin as text, trimmed. */
export async function readAll(stdin: CliInput): Promise<string> {
  let text = '';
  for await (const chunk of stdin)
    text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
  return text.trim();
}
