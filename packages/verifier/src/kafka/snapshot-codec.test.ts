import { describe, expect, it } from 'vitest';
import { asArrays } from '../lib/frozen-tokens.fixture.js';
import {
  SnapshotFormatError,
  decodeSnapshotHeader,
  decodeSnapshotState,
  encodeSnapshot,
} from './snapshot-codec.js';

const state = {
  issuers: [
    {
      issuer: 'https://a.example',
      tokens: {
        // ASCII, non-ASCII, an empty string and lone surrogates (which UTF-8 cannot carry).
        targets: ['t-1', 'jéti-✓', '', 'bad\uD800', '\uDC00x'],
        packed: [1, 2, 3, 4, 2 ** 40],
        updatedAt: [10, 20.5, 30, 40, Date.UTC(2026, 0, 1)],
        eventIds: ['e1', 'e2', '\uD83D\uDE00', 'e4', 'lone\uDBFF'],
      },
      sessions: [{ kind: 'session', target: 's1', issuer: 'https://a.example' }],
      subjects: [],
      keys: [],
      global: null,
    },
    {
      issuer: 'https://b.example',
      tokens: { targets: [], packed: [], updatedAt: [], eventIds: [] },
      sessions: [],
      subjects: [],
      keys: [],
      global: { kind: 'global', target: '*', cutoff: 5 },
    },
  ],
};

/** The decoded state, frozen token columns (all-ASCII issuers) read back as string columns. */
function decode(bytes: Buffer): unknown {
  const { header, bodyAt } = decodeSnapshotHeader(bytes);
  return asArrays(decodeSnapshotState(bytes, header, bodyAt));
}

describe('snapshot codec', () => {
  it('reads back exactly what it wrote, strings with lone surrogates included', async () => {
    const bytes = await encodeSnapshot({ format: 1, note: 'x' }, state);
    expect(decodeSnapshotHeader(bytes).header).toMatchObject({ format: 1, note: 'x' });
    expect(decode(bytes)).toEqual(state);
  });

  it('refuses a file cut short, a changed byte, trailing bytes and other files, before decoding', async () => {
    const bytes = await encodeSnapshot({ format: 1 }, state);
    expect(() => decode(bytes.subarray(0, bytes.length - 1))).toThrow(/cut short/);
    const changed = Buffer.from(bytes);
    changed.writeUInt8(changed.readUInt8(changed.length - 3) ^ 1, changed.length - 3);
    expect(() => decode(changed)).toThrow(/checksum/);
    expect(() => decode(Buffer.concat([bytes, Buffer.from([0])]))).toThrow(SnapshotFormatError);
    expect(() => decodeSnapshotHeader(Buffer.from('{"issuers":[]}'))).toThrow(/magic/);
    expect(() => decodeSnapshotHeader(bytes.subarray(0, 14))).toThrow(/header cut short/);
  });

  it('hands all-ASCII token columns over as bytes, without a string per rule', async () => {
    const bytes = await encodeSnapshot({ format: 1 }, state);
    const { header, bodyAt } = decodeSnapshotHeader(bytes);
    const decoded = decodeSnapshotState(bytes, header, bodyAt) as {
      issuers: { tokens: unknown }[];
    };
    // Issuer a has strings UTF-8 cannot carry: string columns. Issuer b: byte columns.
    expect(Array.isArray((decoded.issuers[0]?.tokens as { targets: unknown }).targets)).toBe(true);
    expect(decoded.issuers[1]?.tokens).toMatchObject({ count: 0 });
  });

  it('refuses a state without issuers to encode', async () => {
    await expect(encodeSnapshot({}, { tokens: [] })).rejects.toThrow(TypeError);
  });
});
