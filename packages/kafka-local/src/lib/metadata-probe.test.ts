import { describe, expect, it } from 'vitest';
import { decodeMetadataResponse, encodeMetadataRequest } from './metadata-probe.js';

function metadataResponse(
  correlationId: number,
  brokers: { id: number; host: string; port: number }[],
): Buffer {
  const parts: Buffer[] = [];
  const int32 = (value: number): void => {
    const buffer = Buffer.alloc(4);
    buffer.writeInt32BE(value, 0);
    parts.push(buffer);
  };
  const string = (value: string | null): void => {
    const length = Buffer.alloc(2);
    length.writeInt16BE(value === null ? -1 : Buffer.byteLength(value), 0);
    parts.push(length);
    if (value !== null) parts.push(Buffer.from(value, 'utf8'));
  };
  int32(correlationId);
  int32(0); // throttle_time_ms
  int32(brokers.length);
  for (const broker of brokers) {
    int32(broker.id);
    string(broker.host);
    int32(broker.port);
    string(null); // rack
  }
  string('cluster-1');
  int32(1); // controller_id
  int32(0); // topics
  return Buffer.concat(parts);
}

describe('metadata probe wire format', () => {
  it('encodes a size-prefixed Metadata v4 request for no topics', () => {
    const request = encodeMetadataRequest(7);
    expect(request.readInt32BE(0)).toBe(request.length - 4);
    expect(request.readInt16BE(4)).toBe(3); // api key: Metadata
    expect(request.readInt16BE(6)).toBe(4); // version
    expect(request.readInt32BE(8)).toBe(7); // correlation id
    const clientIdLength = request.readInt16BE(12);
    expect(request.readInt32BE(14 + clientIdLength)).toBe(0); // empty topic array, not null
    expect(request.length).toBe(14 + clientIdLength + 4 + 1);
  });

  it('decodes the brokers a response lists', () => {
    const probe = decodeMetadataResponse(
      metadataResponse(7, [
        { id: 1, host: '127.0.0.1', port: 9092 },
        { id: 3, host: '127.0.0.1', port: 9096 },
      ]),
      7,
    );
    expect(probe.brokers.map((broker) => broker.nodeId)).toEqual([1, 3]);
    expect(probe.brokers[1]).toEqual({ nodeId: 3, host: '127.0.0.1', port: 9096 });
    expect(probe.clusterId).toBe('cluster-1');
    expect(probe.controllerId).toBe(1);
  });

  it('rejects a truncated response or one for another request', () => {
    const response = metadataResponse(7, [{ id: 1, host: 'localhost', port: 9092 }]);
    expect(() => decodeMetadataResponse(response.subarray(0, 20), 7)).toThrow(/truncated/);
    expect(() => decodeMetadataResponse(response, 8)).toThrow(/correlation id 7/);
  });
});
