import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

/** The client side of SCRAM-SHA-512 (RFC 5802), without channel binding, as Kafka speaks it. */
export interface ScramClient {
  /** The client-first message. */
  first(): Buffer;
  /** The next message for a server message, or `undefined` once the server's signature checks out. */
  answer(server: Buffer): Buffer | undefined;
}

const hmac = (key: Buffer, data: string): Buffer => createHmac('sha512', key).update(data).digest();

/** Starts a SCRAM-SHA-512 exchange for `username`/`password`. */
export function scramClient(username: string, password: string): ScramClient {
  const nonce = randomBytes(24).toString('base64url');
  const name = username.replaceAll('=', '=3D').replaceAll(',', '=2C');
  const clientFirstBare = `n=${name},r=${nonce}`;
  let serverSignature: Buffer | undefined;
  return {
    first: () => Buffer.from(`n,,${clientFirstBare}`, 'utf8'),
    answer(server) {
      const text = server.toString('utf8');
      const fields = new Map(
        text.split(',').map((part) => [part.slice(0, 1), part.slice(2)] as const),
      );
      if (serverSignature !== undefined) {
        const verifier = Buffer.from(fields.get('v') ?? '', 'base64');
        if (
          verifier.length !== serverSignature.length ||
          !timingSafeEqual(verifier, serverSignature)
        ) {
          throw new Error(`SCRAM server signature does not match: ${text}`);
        }
        return undefined;
      }
      const serverNonce = fields.get('r') ?? '';
      const salt = Buffer.from(fields.get('s') ?? '', 'base64');
      const iterations = Number(fields.get('i'));
      if (!serverNonce.startsWith(nonce) || !Number.isInteger(iterations) || iterations < 1) {
        throw new Error(`unexpected SCRAM server-first message: ${text}`);
      }
      const salted = pbkdf2Sync(password, salt, iterations, 64, 'sha512');
      const clientKey = hmac(salted, 'Client Key');
      const storedKey = createHash('sha512').update(clientKey).digest();
      const withoutProof = `c=biws,r=${serverNonce}`;
      const authMessage = `${clientFirstBare},${text},${withoutProof}`;
      const signature = hmac(storedKey, authMessage);
      const proof = Buffer.from(clientKey.map((byte, index) => byte ^ (signature[index] ?? 0)));
      serverSignature = hmac(hmac(salted, 'Server Key'), authMessage);
      return Buffer.from(`${withoutProof},p=${proof.toString('base64')}`, 'utf8');
    },
  };
}
