import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { KafkaJars } from '../ensure-jars.js';
import { StorageFormatError } from '../errors.js';
import type { ClusterSpec, NodeLayout } from './config.js';
import { clusterCredentials } from './credentials.js';
import { runTool } from './tools.js';

/**
 * Formats a node's log directory for the cluster id, once: a formatted directory holds
 * `meta.properties` and is left alone, so restarts keep their data.
 */
export async function formatStorage(
  spec: ClusterSpec,
  node: NodeLayout,
  jars: KafkaJars,
): Promise<boolean> {
  if (existsSync(join(node.dataDir, 'meta.properties'))) return false;
  const run = await runTool('java', [
    '-Xmx256m',
    '-XX:+UseSerialGC',
    // A short-lived tool: the C1 compiler alone starts faster and is all it needs.
    '-XX:TieredStopAtLevel=1',
    // At info, StorageTool logs the entire broker configuration.
    '-Dkafka.root.level=warn',
    `-Dlog4j2.configurationFile=${node.log4j2Properties}`,
    '-cp',
    jars.classpath,
    'kafka.tools.StorageTool',
    'format',
    '--cluster-id',
    spec.clusterId,
    '--config',
    node.serverProperties,
    // A crash between formatting and our own check must not make the next start fail.
    '--ignore-formatted',
    // Secured: every principal's SCRAM credential goes into the bootstrap metadata, so brokers
    // can authenticate each other (and clients) from their first start.
    ...(spec.secure === undefined
      ? []
      : Object.entries(await clusterCredentials(join(node.dir, '..'))).flatMap(
          ([name, password]) => [
            '--add-scram',
            `SCRAM-SHA-512=[name=${name},password=${password}]`,
          ],
        )),
  ]);
  if (run.exitCode !== 0) throw new StorageFormatError(node.id, run.exitCode, run.output);
  return true;
}
