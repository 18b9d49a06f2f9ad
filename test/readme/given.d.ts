/**
 * What a README snippet is handed rather than building itself: the values an adopter's service
 * already has around the few lines a README shows. A block that declares one of these names
 * itself shadows it (module scope). The root README's blocks need none of them.
 */
import type { Express, RequestHandler } from 'express';
import type { Kysely, Migration } from 'kysely';
import type { Server } from 'socket.io';
import type { Registry } from 'prom-client';
import type { OutboxRelay, PublisherLogger } from '@revocation-fabric/publisher';
import type { Verifier } from '@revocation-fabric/verifier';

/** The tables of the adopter's own auth service that the publisher's README touches. */
interface AuthServiceDatabase {
  sessions: { id: string; user_id: string; revoked_at: number | null };
}

declare global {
  /** The service's express application. */
  const app: Express;
  /** A route handler of the service. */
  const handler: RequestHandler;
  /** The service's socket.io server. */
  const io: Server;
  /** The verifier the service built once at start (`createVerifier`). */
  const verifier: Verifier;
  /** The service's prom-client registry. */
  const registry: Registry;
  /** The service's logger (pino or anything with debug/info/warn/error(fields, message)). */
  const log: PublisherLogger;
  const logger: PublisherLogger;
  /** The auth service's database, its clock, its migrations and its running relay. */
  const db: Kysely<AuthServiceDatabase>;
  const now: () => number;
  const sessionsMigration: Migration;
  const relay: OutboxRelay;
  /** The session, user and issuer a snippet revokes for; a Kafka password from the service's secrets. */
  const sid: string;
  const userId: string;
  const iss: string;
  const password: string;
}
