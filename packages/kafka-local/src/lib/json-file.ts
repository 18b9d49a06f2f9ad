import { readFile } from 'node:fs/promises';

/**
 * The JSON document of a file this package wrote, or `undefined` if there is no such file
 * (the thing it describes was never created). Any other failure, a malformed file included,
 * throws.
 */
export async function readJsonFile<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
