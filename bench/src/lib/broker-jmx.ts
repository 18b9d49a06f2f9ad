/**
 * The brokers' own metrics, read over JMX with Kafka's `org.apache.kafka.tools.JmxTool` (the
 * kafka-tools jar kafka-local resolves beside the broker) rather than a JMX client of our own:
 * one JVM per broker and reading, `--one-time`, CSV out. A reading is taken outside the
 * measured windows (the tool's JVM costs a second of CPU to start), and rates are computed from
 * counters over the time between two readings.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ensureJars } from '@revocation-fabric/kafka-local';

const run = promisify(execFile);

/**
 * What is read: request counts by API, the incremental fetch session cache (a broker keeps
 * `max.incremental.fetch.session.cache.slots` = 1,000 by default), the client listener's
 * connections and bytes, topic bytes out.
 */
const OBJECT_NAMES = [
  'kafka.network:type=RequestMetrics,name=RequestsPerSec,*',
  'kafka.server:type=FetchSessionCache,name=NumIncrementalFetchSessions',
  'kafka.server:type=FetchSessionCache,name=NumIncrementalFetchPartitionsCached',
  'kafka.server:type=FetchSessionCache,name=IncrementalFetchSessionEvictionsPerSec',
  'kafka.server:type=socket-server-metrics,listener=*,networkProcessor=*',
  'kafka.server:type=BrokerTopicMetrics,name=BytesOutPerSec',
] as const;

/** One broker's metrics at one moment. */
export interface BrokerJmxReading {
  /** The tool's own timestamp of the reading, ms since the epoch. */
  readonly at: number;
  /** Requests handled since the broker started, by API (`Fetch`, `Heartbeat`, …), all versions. */
  readonly requests: Readonly<Record<string, number>>;
  readonly incrementalFetchSessions: number;
  readonly incrementalFetchPartitionsCached: number;
  /** Incremental fetch sessions evicted since start. */
  readonly fetchSessionEvictions: number;
  /** Open connections on the client (and inter-broker) listener; the controller's not counted. */
  readonly connections: number;
  /** Bytes the client listener sent since start (every response, replication included). */
  readonly networkBytesOut: number;
  /** Record bytes fetched from topics since start (BrokerTopicMetrics). */
  readonly topicBytesOut: number;
}

/** Splits one CSV line of JmxTool's output: quoted fields may hold commas. */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    else if (char === ',' && !quoted) {
      fields.push(current);
      current = '';
    } else current += char;
  }
  fields.push(current);
  return fields;
}

/** A socket-server metric of a listener clients use (not the KRaft controllers' own). */
function clientListener(name: string): boolean {
  return name.includes('type=socket-server-metrics') && !name.includes('listener=CONTROLLER');
}

/** Reads the `…:attribute` columns of JmxTool's header and value lines into one reading. */
export function parseJmxToolOutput(output: string): BrokerJmxReading {
  // The header's names are quoted; the value line after it is not.
  const lines = output.split('\n');
  const at = lines.findIndex((line) => line.startsWith('"time"'));
  const header = at < 0 ? undefined : lines[at];
  const values = at < 0 ? undefined : lines[at + 1];
  if (header === undefined || values === undefined) {
    throw new Error(`JmxTool printed no header and value line:\n${output.slice(0, 2_000)}`);
  }
  const names = csvFields(header);
  const numbers = csvFields(values).map(Number);
  const requests: Record<string, number> = {};
  let sessions = 0;
  let partitionsCached = 0;
  let evictions = 0;
  let connections = 0;
  let networkBytesOut = 0;
  let topicBytesOut = 0;
  let time = Number.NaN;
  names.forEach((name, i) => {
    const value = numbers[i] ?? Number.NaN;
    if (name === 'time') time = value;
    if (!Number.isFinite(value)) return;
    const request = /name=RequestsPerSec,request=([^,:]+).*:Count$/.exec(name);
    if (request?.[1] !== undefined) {
      requests[request[1]] = (requests[request[1]] ?? 0) + value;
    } else if (name.endsWith('name=NumIncrementalFetchSessions:Value')) sessions = value;
    else if (name.endsWith('name=NumIncrementalFetchPartitionsCached:Value'))
      partitionsCached = value;
    else if (name.endsWith('name=IncrementalFetchSessionEvictionsPerSec:Count')) evictions = value;
    else if (clientListener(name) && name.endsWith(':connection-count')) connections += value;
    else if (clientListener(name) && name.endsWith(':outgoing-byte-total'))
      networkBytesOut += value;
    else if (name.endsWith('name=BytesOutPerSec:Count')) topicBytesOut = value;
  });
  return {
    at: time,
    requests,
    incrementalFetchSessions: sessions,
    incrementalFetchPartitionsCached: partitionsCached,
    fetchSessionEvictions: evictions,
    connections,
    networkBytesOut,
    topicBytesOut,
  };
}

/** Reads one broker's metrics from its JMX port on 127.0.0.1. */
export async function readBrokerJmx(jmxPort: number): Promise<BrokerJmxReading> {
  const { classpath } = await ensureJars();
  const { stdout } = await run(
    'java',
    [
      // A short-lived client: small heap, no C2 compiler, no parallel GC threads on 2 cores.
      '-Xmx64m',
      '-XX:+UseSerialGC',
      '-XX:TieredStopAtLevel=1',
      '-cp',
      classpath,
      'org.apache.kafka.tools.JmxTool',
      '--jmx-url',
      `service:jmx:rmi:///jndi/rmi://127.0.0.1:${jmxPort}/jmxrmi`,
      '--one-time',
      'true',
      '--report-format',
      'original',
      ...OBJECT_NAMES.flatMap((name) => ['--object-name', name]),
    ],
    { timeout: 60_000, maxBuffer: 16 * 2 ** 20 },
  );
  return parseJmxToolOutput(stdout);
}

/** Per-second rates of one broker's counters between two readings, and its gauges at the end. */
export interface BrokerJmxWindow {
  readonly seconds: number;
  readonly requestsPerS: Readonly<Record<string, number>>;
  readonly incrementalFetchSessions: number;
  readonly fetchSessionEvictionsPerS: number;
  readonly connections: number;
  readonly networkBytesOutPerS: number;
  readonly topicBytesOutPerS: number;
}

/** The window between readings `a` and `b` of one broker. */
export function jmxWindow(a: BrokerJmxReading, b: BrokerJmxReading): BrokerJmxWindow {
  const seconds = (b.at - a.at) / 1000;
  const requestsPerS: Record<string, number> = {};
  for (const [api, count] of Object.entries(b.requests)) {
    const rate = (count - (a.requests[api] ?? 0)) / seconds;
    if (rate > 0) requestsPerS[api] = rate;
  }
  return {
    seconds,
    requestsPerS,
    incrementalFetchSessions: b.incrementalFetchSessions,
    fetchSessionEvictionsPerS: (b.fetchSessionEvictions - a.fetchSessionEvictions) / seconds,
    connections: b.connections,
    networkBytesOutPerS: (b.networkBytesOut - a.networkBytesOut) / seconds,
    topicBytesOutPerS: (b.topicBytesOut - a.topicBytesOut) / seconds,
  };
}
