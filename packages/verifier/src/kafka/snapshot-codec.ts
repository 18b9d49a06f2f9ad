/**
 * The snapshot's byte layout. A verifier's state is mostly token rules (one per logout), so
 * those are stored as columns — numbers as float64, strings as one UTF-8 blob with their byte
 * lengths — and everything else as JSON. Reading 1M rules back as JSON costs about a second of
 * parsing alone; as columns it costs one string slice per target and event id. Written by hand
 * because the layout is the point: no general-purpose codec knows that a state is two string
 * columns and two number columns.
 *
 * ```
 * "RFSNAP1\n" | u32 header length | header JSON | body
 * body = u32 JSON length | JSON (the state, its token columns replaced by a count and the
 *        strings UTF-8 cannot carry) | per token column set: packed f64[n] | updatedAt f64[n]
 *        | byte lengths u32[2n] (top bit: ASCII) | UTF-8 blob of targets then event ids
 * ```
 * The header carries the body's length and SHA-256: a file cut short or changed is refused
 * whole, before anything of it is used.
 */
import { createHash } from 'node:crypto';
import { setImmediate } from 'node:timers/promises';
import type { FrozenTokenColumns } from '../lib/frozen-tokens.js';

const MAGIC = Buffer.from('RFSNAP1\n', 'latin1');
/** The top bit of a string's byte length: the string is ASCII. */
const ASCII = 0x8000_0000;

/** Token rule columns, as `Blocklist.exportState` gives them. */
export interface TokenColumns {
  readonly targets: readonly string[];
  readonly packed: readonly number[];
  readonly updatedAt: readonly number[];
  readonly eventIds: readonly string[];
}

/** Why a snapshot file was refused. */
export class SnapshotFormatError extends Error {
  override readonly name = 'SnapshotFormatError';
}

/** A state whose members named `tokens` are token columns, anywhere below `issuers`. */
interface StateWithTokens {
  readonly issuers: readonly { readonly tokens: TokenColumns }[];
}

function hasTokenColumns(state: unknown): state is StateWithTokens {
  const issuers = (state as { readonly issuers?: unknown } | null)?.issuers;
  return Array.isArray(issuers);
}

/** Strings encoded between two yields to the event loop: a few ms of work each. */
const STRINGS_PER_SLICE = 32_768;

/** Lets the event loop run (requests being served) between slices of an encoding. */
async function yieldToEventLoop(): Promise<void> {
  await setImmediate();
}

/**
 * Encodes a header (any JSON object; `bodyBytes` and `sha256` are added) and a state whose
 * `issuers[i].tokens` are token columns. The state is a copy already (`capture()`), so it is
 * encoded in slices with the event loop running between them: a verifier serving requests
 * stalls for one slice at a time, not for the whole encoding.
 */
export async function encodeSnapshot(
  header: Record<string, unknown>,
  state: unknown,
): Promise<Buffer> {
  if (!hasTokenColumns(state)) throw new TypeError('snapshot state: issuers must be an array');
  // Strings with lone surrogates do not survive UTF-8: they travel in the JSON part (whose
  // escapes keep them exact), with an empty slot in the blob.
  const odd: [number, number, string][] = [];
  const columnParts: Buffer[] = [];
  let sinceYield = 0;
  for (const [i, { tokens }] of state.issuers.entries()) {
    const { targets, packed, updatedAt, eventIds } = tokens;
    const n = targets.length;
    const numbers = Buffer.allocUnsafe(16 * n);
    for (let k = 0; k < n; k++) {
      numbers.writeDoubleLE(packed[k] as number, 8 * k);
      numbers.writeDoubleLE(updatedAt[k] as number, 8 * (n + k));
    }
    const lengths = Buffer.allocUnsafe(8 * n);
    let chars = 0;
    for (let k = 0; k < n; k++)
      chars += (targets[k] as string).length + (eventIds[k] as string).length;
    const blob = Buffer.allocUnsafe(3 * chars);
    let at = 0;
    let slot = 0;
    for (const list of [targets, eventIds]) {
      for (const value of list) {
        let written = 0;
        if (isWellFormed(value)) written = blob.write(value, at, 'utf8');
        else odd.push([i, slot, value]);
        // As many bytes as characters: ASCII, which reads back without UTF-8 decoding.
        lengths.writeUInt32LE(written === value.length ? written + ASCII : written, 4 * slot++);
        at += written;
        if (++sinceYield === STRINGS_PER_SLICE) {
          sinceYield = 0;
          await yieldToEventLoop();
        }
      }
    }
    columnParts.push(numbers, lengths, blob.subarray(0, at));
  }
  const jsonState = {
    ...state,
    issuers: state.issuers.map((issuer) => ({ ...issuer, tokens: issuer.tokens.targets.length })),
    odd,
  };
  const json = Buffer.from(JSON.stringify(jsonState), 'utf8');
  const parts = [u32(json.length), json, ...columnParts];
  const hash = createHash('sha256');
  for (const part of parts) {
    hash.update(part);
    await yieldToEventLoop();
  }
  const bodyBytes = parts.reduce((sum, part) => sum + part.length, 0);
  const head = Buffer.from(
    JSON.stringify({ ...header, bodyBytes, sha256: hash.digest('hex') }),
    'utf8',
  );
  return Buffer.concat([MAGIC, u32(head.length), head, ...parts]);
}

/** Reads the header only: cheap, so a snapshot of another fingerprint costs no decoding. */
export function decodeSnapshotHeader(bytes: Buffer): {
  readonly header: Record<string, unknown>;
  readonly bodyAt: number;
} {
  if (bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC))
    throw new SnapshotFormatError('not a revocation snapshot (magic)');
  const headLength = bytes.readUInt32LE(MAGIC.length);
  const bodyAt = MAGIC.length + 4 + headLength;
  if (bodyAt > bytes.length) throw new SnapshotFormatError('snapshot header cut short');
  let header: unknown;
  try {
    header = JSON.parse(bytes.toString('utf8', MAGIC.length + 4, bodyAt));
  } catch (cause) {
    throw new SnapshotFormatError('snapshot header is not JSON', { cause });
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    throw new SnapshotFormatError('snapshot header is not an object');
  return { header: header as Record<string, unknown>, bodyAt };
}

/**
 * Decodes the state after {@link decodeSnapshotHeader}, once the body's length and SHA-256
 * match the header's.
 *
 * @throws SnapshotFormatError for a body cut short, changed, or laid out otherwise.
 */
export function decodeSnapshotState(
  bytes: Buffer,
  header: Record<string, unknown>,
  bodyAt: number,
): unknown {
  const body = bytes.subarray(bodyAt);
  if (header['bodyBytes'] !== body.length) throw new SnapshotFormatError('snapshot cut short');
  if (header['sha256'] !== createHash('sha256').update(body).digest('hex'))
    throw new SnapshotFormatError('snapshot checksum does not match');
  try {
    return decodeBody(body);
  } catch (cause) {
    if (cause instanceof SnapshotFormatError) throw cause;
    // A checksummed body that does not decode was written by another layout.
    throw new SnapshotFormatError('snapshot body is laid out otherwise', { cause });
  }
}

interface JsonPart {
  readonly issuers: readonly (Record<string, unknown> & { readonly tokens: number })[];
  readonly odd: readonly [number, number, string][];
}

function decodeBody(body: Buffer): unknown {
  const jsonLength = body.readUInt32LE(0);
  const part = JSON.parse(body.toString('utf8', 4, 4 + jsonLength)) as JsonPart;
  let at = 4 + jsonLength;
  const issuers = part.issuers.map((issuer, i) => {
    const n = issuer.tokens;
    if (!Number.isSafeInteger(n) || n < 0) throw new SnapshotFormatError('bad token count');
    if (at + 24 * n > body.length) throw new SnapshotFormatError('token columns cut short');
    // Copied out as whole columns (aligned, little-endian as written on every platform we run).
    const numbers = new Float64Array(
      body.buffer.slice(body.byteOffset + at, body.byteOffset + at + 16 * n),
    );
    at += 16 * n;
    const lengths = new Uint32Array(
      body.buffer.slice(body.byteOffset + at, body.byteOffset + at + 8 * n),
    );
    at += 8 * n;
    const starts = (column: number): Uint32Array => {
      const out = new Uint32Array(n + 1);
      for (let k = 0; k < n; k++) {
        const word = lengths[column * n + k] as number;
        out[k + 1] = (out[k] as number) + (word >= ASCII ? word - ASCII : word);
      }
      return out;
    };
    const targetStarts = starts(0);
    const eventIdStarts = starts(1);
    const targetBytes = targetStarts[n] as number;
    const eventIdBytes = eventIdStarts[n] as number;
    if (at + targetBytes + eventIdBytes > body.length)
      throw new SnapshotFormatError('token columns cut short');
    const odd = part.odd.filter(([issuerIndex]) => issuerIndex === i);
    let ascii = odd.length === 0;
    for (let k = 0; ascii && k < n; k++) ascii = (lengths[k] as number) >= ASCII;
    if (ascii) {
      // The usual case (UUID jtis): the columns as they are, for the blocklist's frozen rules
      // (lib/frozen-tokens.ts) — no string per rule.
      const tokens: FrozenTokenColumns = {
        count: n,
        packed: numbers.subarray(0, n),
        updatedAt: numbers.subarray(n),
        // Copied, so the file's buffer is not kept alive by them.
        targets: Buffer.from(body.subarray(at, at + targetBytes)),
        targetStarts,
        eventIds: Buffer.from(body.subarray(at + targetBytes, at + targetBytes + eventIdBytes)),
        eventIdStarts,
      };
      at += targetBytes + eventIdBytes;
      return { ...issuer, tokens };
    }
    // Targets, then event ids: each string its own flat string (a slice of one large string
    // would keep all of it alive), ASCII ones without UTF-8 decoding.
    const [targets, eventIds] = [0, 1].map((column) => {
      const strings = new Array<string>(n);
      for (let k = 0; k < n; k++) {
        const word = lengths[column * n + k] as number;
        const length = word >= ASCII ? word - ASCII : word;
        strings[k] = body.toString(word >= ASCII ? 'latin1' : 'utf8', at, at + length);
        at += length;
      }
      return strings;
    }) as [string[], string[]];
    for (const [, slot, value] of odd) (slot < n ? targets : eventIds)[slot % n] = value;
    return {
      ...issuer,
      tokens: {
        targets,
        packed: Array.from(numbers.subarray(0, n)),
        updatedAt: Array.from(numbers.subarray(n)),
        eventIds,
      },
    };
  });
  if (at !== body.length) throw new SnapshotFormatError('snapshot body has trailing bytes');
  return { issuers };
}

/**
 * Whether a string has no lone surrogate, so UTF-8 carries it exactly. `String#isWellFormed`
 * (ES2024) is in every Node this package supports; the compiler's library is older.
 */
function isWellFormed(value: string): boolean {
  return (value as string & { isWellFormed(): boolean }).isWellFormed();
}

function u32(value: number): Buffer {
  const buffer = Buffer.allocUnsafe(4);
  buffer.writeUInt32LE(value);
  return buffer;
}
