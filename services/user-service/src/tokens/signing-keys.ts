/**
 * ES256 signing keys, kept in the database so every instance signs with the same active key and
 * publishes the same JWKS. Three keys matter at any time:
 *
 * - `active` signs new tokens;
 * - `next` is already published but signs nothing yet. Verifiers cache the JWKS (jose refetches
 *   at most every 30 s, and keeps a set for 10 min), so a key must be in their cache before its
 *   first token arrives; rotation promotes `next`, which every verifier has long known;
 * - `retired` keys stay published until every token they signed has expired (max token lifetime
 *   + clock tolerance after retirement). A `revoked` (compromised) key leaves the JWKS at once.
 */
import { FlattenedSign, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK } from 'jose';
import { BRAKE_SIGNATURE_TYPE } from '@revocation-fabric/protocol';
import type { CryptoKey, JWK } from 'jose';
import type { DataStore } from '../db/schema.js';
import { lockGlobalState } from '../db/locks.js';
import type { Executor } from '../db/schema.js';
import type { PrivateKeySealer } from './key-protection.js';

/** The one signing algorithm: ECDSA P-256 with SHA-256. */
export const SIGNING_ALGORITHM = 'ES256';

/** The key that signs new tokens. */
export interface ActiveSigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
}

/** A published public key, as it appears in the JWKS. */
export interface PublishedJwk extends JWK {
  readonly kid: string;
  readonly alg: string;
  readonly use: 'sig';
}

/** Options of {@link SigningKeys}. */
export interface SigningKeysOptions {
  /** How long a retired key stays published, in ms: max token lifetime + clock tolerance. */
  readonly retiredKeyPublishMs: number;
}

/** Creates, rotates, loads and publishes the signing keys. */
export class SigningKeys {
  private readonly privateKeys = new Map<string, CryptoKey>();
  private readonly publicKeys = new Map<string, CryptoKey>();

  constructor(
    private readonly store: DataStore,
    private readonly sealer: PrivateKeySealer,
    private readonly options: SigningKeysOptions,
  ) {}

  /**
   * Creates the active and the next key where missing; returns the active kid. Safe from several
   * instances. Opens the active key, so a wrong or missing KEY_ENCRYPTION_KEY stops the start
   * rather than every login.
   */
  async ensureActiveKey(now: number): Promise<string> {
    const kid = await this.store.db.transaction().execute(async (trx) => {
      await lockGlobalState(trx, this.store.dialect);
      const active = await this.keyWithStatus(trx, 'active');
      const activeKid = active ?? (await this.insertNewKey(trx, 'active', now));
      await this.ensureNextWithin(trx, now);
      return activeKid;
    });
    await this.activeKey(this.store.db);
    return kid;
  }

  /**
   * Retires the active key, promotes the next one (creating one if there is none) and prepares
   * a new next key, inside the caller's transaction. The caller must hold the global-state lock
   * ({@link lockGlobalState}).
   *
   * @returns the kid that signs from now on.
   */
  async rotateWithin(trx: Executor, now: number): Promise<string> {
    await trx
      .updateTable('signingKeys')
      .set({ status: 'retired', retiredAt: now })
      .where('status', '=', 'active')
      .execute();
    const next = await this.keyWithStatus(trx, 'next');
    let activeKid: string;
    if (next === undefined) {
      activeKid = await this.insertNewKey(trx, 'active', now);
    } else {
      await trx
        .updateTable('signingKeys')
        .set({ status: 'active', activatedAt: now })
        .where('kid', '=', next)
        .execute();
      activeKid = next;
    }
    await this.ensureNextWithin(trx, now);
    return activeKid;
  }

  /** Creates a next key if there is none, inside a transaction holding the global-state lock. */
  async ensureNextWithin(trx: Executor, now: number): Promise<void> {
    if ((await this.keyWithStatus(trx, 'next')) === undefined) {
      await this.insertNewKey(trx, 'next', now);
    }
  }

  /** Rotates in a transaction of its own; returns the kid that signs from now on. */
  async rotate(now: number): Promise<string> {
    return this.store.db.transaction().execute(async (trx) => {
      await lockGlobalState(trx, this.store.dialect);
      return this.rotateWithin(trx, now);
    });
  }

  /**
   * A key rule named one of the keys this service signs with: if it is the active key, the
   * next one (published long ago) takes over; if it is the next key, a fresh next key replaces
   * it. Nothing is revoked here — a revocation is the admin's act, with an event of its own —
   * so a forged rule costs a rotation at most. Checked under the lock: instances that all see
   * the rule rotate once.
   *
   * @returns what changed, or undefined when the kid signs nothing any more.
   */
  async replaceIfSigning(
    kid: string,
    now: number,
  ): Promise<{ readonly replaced: 'active' | 'next'; readonly activeKid: string } | undefined> {
    return this.store.db.transaction().execute(async (trx) => {
      await lockGlobalState(trx, this.store.dialect);
      const row = await trx
        .selectFrom('signingKeys')
        .select('status')
        .where('kid', '=', kid)
        .executeTakeFirst();
      if (row?.status === 'active') {
        return { replaced: 'active' as const, activeKid: await this.rotateWithin(trx, now) };
      }
      if (row?.status !== 'next') return undefined;
      // Never used to sign: set aside unpublished, and a new next key takes its place.
      await trx
        .updateTable('signingKeys')
        .set({ status: 'revoked', revokedAt: now })
        .where('kid', '=', kid)
        .execute();
      await this.ensureNextWithin(trx, now);
      const active = await this.keyWithStatus(trx, 'active');
      return { replaced: 'next' as const, activeKid: active ?? '' };
    });
  }

  /**
   * Scheduled rotation: rotates when the active key is older than `maxAgeMs`. Checked under the
   * lock, so instances running the same schedule rotate once, not once each.
   *
   * @returns the new kid, or undefined when no rotation was due.
   */
  async rotateIfOlderThan(maxAgeMs: number, now: number): Promise<string | undefined> {
    return this.store.db.transaction().execute(async (trx) => {
      await lockGlobalState(trx, this.store.dialect);
      const active = await trx
        .selectFrom('signingKeys')
        .select(['createdAt', 'activatedAt'])
        .where('status', '=', 'active')
        .executeTakeFirst();
      const since = active === undefined ? 0 : Number(active.activatedAt ?? active.createdAt);
      if (active !== undefined && since > now - maxAgeMs) return undefined;
      return this.rotateWithin(trx, now);
    });
  }

  /**
   * The active key, read from the database on every call (another instance may have rotated or
   * revoked it); only the decrypted key material is cached.
   */
  async activeKey(executor: Executor): Promise<ActiveSigningKey> {
    const row = await executor
      .selectFrom('signingKeys')
      .select(['kid', 'privateJwk'])
      .where('status', '=', 'active')
      .executeTakeFirst();
    if (row === undefined) throw new Error('no active signing key');
    let privateKey = this.privateKeys.get(row.kid);
    if (privateKey === undefined) {
      const jwk = JSON.parse(this.sealer.open(row.kid, row.privateJwk)) as JWK;
      privateKey = (await importJWK(jwk, SIGNING_ALGORITHM)) as CryptoKey;
      this.privateKeys.set(row.kid, privateKey);
    }
    return { kid: row.kid, privateKey };
  }

  /**
   * Signs a brake's encoded event with the active key: a detached JWS (`<protected>..<signature>`,
   * `typ` revocation-brake+jws) that verifiers check against this service's JWKS. The key lives
   * in this database, outside Kafka: whoever holds only a Kafka password cannot sign one.
   */
  async signBrake(executor: Executor, payload: string): Promise<string> {
    const { kid, privateKey } = await this.activeKey(executor);
    const jws = await new FlattenedSign(new TextEncoder().encode(payload))
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid, typ: BRAKE_SIGNATURE_TYPE })
      .sign(privateKey);
    return `${jws.protected ?? ''}..${jws.signature}`;
  }

  /** Every public key a live token may still be signed with. */
  async publishedKeys(now: number): Promise<PublishedJwk[]> {
    const rows = await this.publishedRows(now).execute();
    return rows.map((row) => JSON.parse(row.publicJwk) as PublishedJwk);
  }

  /** The public key of a published kid, for the service's own token checks; undefined otherwise. */
  async publishedKey(kid: string, now: number): Promise<CryptoKey | undefined> {
    // One row by kid, not the whole published set: this runs on every signed-in request.
    const row = await this.publishedRows(now).where('kid', '=', kid).executeTakeFirst();
    if (row === undefined) return undefined;
    let key = this.publicKeys.get(kid);
    if (key === undefined) {
      const published = JSON.parse(row.publicJwk) as PublishedJwk;
      key = (await importJWK(published, SIGNING_ALGORITHM)) as CryptoKey;
      this.publicKeys.set(kid, key);
    }
    return key;
  }

  /** Keys in the JWKS: active and next, and retired ones while their tokens may live. */
  private publishedRows(now: number) {
    return this.store.db
      .selectFrom('signingKeys')
      .select(['publicJwk'])
      .where((eb) =>
        eb.or([
          eb('status', 'in', ['active', 'next']),
          eb.and([
            eb('status', '=', 'retired'),
            eb('retiredAt', '>', now - this.options.retiredKeyPublishMs),
          ]),
        ]),
      )
      .orderBy('createdAt', 'desc');
  }

  /** Forgets the cached private key of a kid (after it was revoked). */
  forget(kid: string): void {
    this.privateKeys.delete(kid);
    this.publicKeys.delete(kid);
  }

  private async keyWithStatus(
    trx: Executor,
    status: 'active' | 'next',
  ): Promise<string | undefined> {
    const row = await trx
      .selectFrom('signingKeys')
      .select('kid')
      .where('status', '=', status)
      .executeTakeFirst();
    return row?.kid;
  }

  private async insertNewKey(
    trx: Executor,
    status: 'active' | 'next',
    now: number,
  ): Promise<string> {
    const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALGORITHM, {
      extractable: true,
    });
    const publicJwk = await exportJWK(publicKey);
    // RFC 7638 thumbprint: a kid derived from the key itself, unique without coordination.
    const kid = await calculateJwkThumbprint(publicJwk);
    const published: PublishedJwk = { ...publicJwk, kid, alg: SIGNING_ALGORITHM, use: 'sig' };
    const privateJwk = JSON.stringify(await exportJWK(privateKey));
    await trx
      .insertInto('signingKeys')
      .values({
        kid,
        alg: SIGNING_ALGORITHM,
        publicJwk: JSON.stringify(published),
        privateJwk: this.sealer.seal(kid, privateJwk),
        status,
        createdAt: now,
        activatedAt: status === 'active' ? now : null,
        retiredAt: null,
        revokedAt: null,
      })
      .execute();
    return kid;
  }
}
