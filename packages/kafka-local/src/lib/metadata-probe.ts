import { KafkaWire } from './wire.js';

/**
 * Readiness is judged by asking the broker itself, with one Kafka Metadata request over a raw
 * socket: this package has no runtime dependencies, and an open port or a log line only says
 * the JVM is up, not that the broker has joined the quorum and been unfenced. A KRaft broker
 * lists only unfenced brokers in its Metadata response, so "every node answers and lists all
 * node ids" is exactly "the cluster can serve clients".
 *
 * Metadata v4 is used because it is the oldest version Kafka 4.x still accepts (KIP-896 removed
 * v0-v3) and the newest one without the flexible (tagged-field) encoding.
 */
const METADATA_API_KEY = 3;
const METADATA_VERSION = 4;
const CLIENT_ID = 'kafka-local-probe';

/** A broker as listed in a Metadata response. */
export interface ProbedBroker {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
}

/** What one broker reported about the cluster. */
export interface MetadataProbe {
  readonly brokers: readonly ProbedBroker[];
  readonly clusterId: string | null;
  readonly controllerId: number;
}

/** Encodes a Metadata v4 request (header v1) for no topics, so the answer is brokers only. */
export function encodeMetadataRequest(correlationId: number): Buffer {
  const clientId = Buffer.from(CLIENT_ID, 'utf8');
  const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length + 4 + 1);
  let offset = body.writeInt16BE(METADATA_API_KEY, 0);
  offset = body.writeInt16BE(METADATA_VERSION, offset);
  offset = body.writeInt32BE(correlationId, offset);
  offset = body.writeInt16BE(clientId.length, offset);
  offset += clientId.copy(body, offset);
  // An empty (not null) topic array: null would ask for every topic.
  offset = body.writeInt32BE(0, offset);
  body.writeInt8(0, offset); // allow_auto_topic_creation = false
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length, 0);
  return Buffer.concat([size, body]);
}

/** Decodes a Metadata v4 response frame (without its 4-byte size prefix). */
export function decodeMetadataResponse(frame: Buffer, correlationId: number): MetadataProbe {
  const reader = new FrameReader(frame);
  const echoed = reader.int32();
  if (echoed !== correlationId) {
    throw new Error(`metadata response has correlation id ${echoed}, expected ${correlationId}`);
  }
  reader.int32(); // throttle_time_ms
  const count = reader.int32();
  const brokers: ProbedBroker[] = [];
  for (let index = 0; index < count; index += 1) {
    const nodeId = reader.int32();
    const host = reader.string() ?? '';
    const port = reader.int32();
    reader.string(); // rack
    brokers.push({ nodeId, host, port });
  }
  const clusterId = reader.string();
  const controllerId = reader.int32();
  return { brokers, clusterId, controllerId };
}

/** Credentials of a secured cluster's SCRAM-SHA-512 client listener. */
export interface ProbeCredentials {
  readonly username: string;
  readonly password: string;
}

/**
 * Sends one Metadata request to `host:port` (after SASL/SCRAM-SHA-512 when `credentials` are
 * given: a secured listener answers nothing else) and resolves with the broker's view of the
 * cluster. Rejects on connection or authentication errors, a closed connection, or after
 * `timeoutMs` of silence.
 */
export async function probeMetadata(
  host: string,
  port: number,
  timeoutMs = 2_000,
  credentials?: ProbeCredentials,
): Promise<MetadataProbe> {
  const wire = await KafkaWire.connect(host, port, timeoutMs);
  try {
    if (credentials !== undefined) {
      await wire.authenticate('SCRAM-SHA-512', credentials.username, credentials.password);
    }
    const correlationId = Math.floor(Math.random() * 0x7fffffff);
    return decodeMetadataResponse(
      await wire.send(encodeMetadataRequest(correlationId)),
      correlationId,
    );
  } finally {
    wire.close();
  }
}

class FrameReader {
  private offset = 0;
  constructor(private readonly frame: Buffer) {}

  int32(): number {
    this.need(4);
    const value = this.frame.readInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  /** A nullable string: int16 length (-1 for null) then UTF-8 bytes. */
  string(): string | null {
    this.need(2);
    const length = this.frame.readInt16BE(this.offset);
    this.offset += 2;
    if (length < 0) return null;
    this.need(length);
    const value = this.frame.toString('utf8', this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  private need(bytes: number): void {
    if (this.offset + bytes > this.frame.length) {
      throw new Error(`metadata response truncated at byte ${this.offset}`);
    }
  }
}
