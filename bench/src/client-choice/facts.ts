/**
 * What the client-choice benchmark records about each client besides its figures: the installed
 * version and Node engines (from its package.json) and the registry's release stamps
 * (`npm view <pkg> time dist-tags`, best effort: a run without the registry records why).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { KafkaClientName } from '../lib/broadcast-consumer.js';

export interface ClientFacts {
  readonly client: KafkaClientName;
  readonly packageName: string;
  readonly installedVersion: string;
  readonly engines: string;
  /** The registry's `latest` dist-tag. */
  readonly latest?: string;
  /** The registry's `time` stamps, newest first (at most 6). */
  readonly newestStamps?: readonly { readonly version: string; readonly at: string }[];
  /** The `time` stamp of `latest`. */
  readonly latestStamp?: string;
  /** Why the registry was not read. */
  readonly registryError?: string;
  /** How a broadcast reader (every instance reads every partition) is built with it. */
  readonly broadcast: string;
  /** TLS and SASL mechanisms its client options take. */
  readonly security: string;
  /** Broker versions it states it supports. */
  readonly brokerVersions: string;
}

/** Read from the installed versions' code, types and README (not measured). */
const CODE_FACTS: Readonly<
  Record<KafkaClientName, Pick<ClientFacts, 'broadcast' | 'security' | 'brokerVersions'>>
> = {
  kafkajs: {
    broadcast:
      'a consumer group per instance (consumer() requires a groupId; no assign() API); one fetcher per broker',
    security: 'TLS (ssl); SASL PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, AWS IAM, OAUTHBEARER',
    brokerVersions: 'no stated range (last release 2.2.4); works with the 4.x broker here',
  },
  platformatic: {
    broadcast:
      'a consumer group per instance: consume() joins the group before streaming (groupId required, heartbeats from the client); a group-less read exists only as the low-level consumer.fetch({ node, topics }) without a stream; one fetch in flight per broker',
    security: 'TLS (tls); SASL PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER, GSSAPI',
    brokerVersions: 'Apache Kafka 3.5.0 to 4.2.0 tested (README); the broker here is newer',
  },
};

const PACKAGES: Readonly<Record<KafkaClientName, string>> = {
  kafkajs: 'kafkajs',
  platformatic: '@platformatic/kafka',
};

/** The package.json above a package's entry point (its `exports` may hide package.json). */
function installedManifest(name: string): { version: string; engines?: { node?: string } } {
  let dir = dirname(fileURLToPath(import.meta.resolve(name)));
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version: string;
        engines?: { node?: string };
      };
      if (manifest.name === name) return manifest;
    } catch {
      // no package.json here: go up
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`package.json of ${name} not found`);
    dir = parent;
  }
}

async function registryFacts(name: string): Promise<Partial<ClientFacts>> {
  try {
    const { stdout } = await promisify(execFile)(
      'npm',
      ['view', name, 'time', 'dist-tags', '--json'],
      {
        timeout: 60_000,
      },
    );
    const view = JSON.parse(stdout) as {
      time?: Record<string, string>;
      'dist-tags'?: Record<string, string>;
    };
    const time = view.time ?? {};
    const latest = view['dist-tags']?.['latest'];
    const newestStamps = Object.entries(time)
      .filter(([version]) => version !== 'created' && version !== 'modified')
      .sort(([, a], [, b]) => (a < b ? 1 : -1))
      .slice(0, 6)
      .map(([version, at]) => ({ version, at }));
    return {
      ...(latest === undefined ? {} : { latest }),
      newestStamps,
      ...(latest === undefined || time[latest] === undefined ? {} : { latestStamp: time[latest] }),
    };
  } catch (error) {
    return {
      registryError: error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error),
    };
  }
}

export async function clientFacts(): Promise<ClientFacts[]> {
  return Promise.all(
    (Object.entries(PACKAGES) as [KafkaClientName, string][]).map(async ([client, name]) => {
      const manifest = installedManifest(name);
      return {
        client,
        packageName: name,
        installedVersion: manifest.version,
        engines: manifest.engines?.node ?? 'any',
        ...CODE_FACTS[client],
        ...(await registryFacts(name)),
      };
    }),
  );
}
