/**
 * Test fixtures: a cluster spec on fixed ports and ids, and a reader of the rendered
 * `server.properties`. Excluded from the build.
 */
import type { ClusterSpec } from './config.js';

/** A cluster of `nodes` nodes from base port 29092; `overrides` replace any field. */
export function clusterSpec(nodes: 1 | 3, overrides: Partial<ClusterSpec> = {}): ClusterSpec {
  return {
    name: 'unit',
    nodes,
    basePort: 29092,
    host: '127.0.0.1',
    clusterId: 'AAAAAAAAAAAAAAAAAAAAAA',
    kafkaVersion: '4.4.0',
    heap: { initialMb: 128, maxMb: 512 },
    ...overrides,
  };
}

/** The settings of a rendered `server.properties`, by name (comments and blank lines skipped). */
export function properties(text: string): Readonly<Record<string, string>> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}
