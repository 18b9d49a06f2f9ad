/**
 * One process of the fleet test (test/fleet-revocation.test.ts), forked by WorkerProcess: a few
 * verifiers, each as a pod has one — a `createVerifier` with its own Kafka feed, hence its own
 * consumer group. It reports when all are ready and every rule each one applies, answers
 * verification requests with each verifier's verdict, and closes them all when the test
 * disconnects.
 */
import type { RevocationRule } from '@revocation-fabric/protocol';
import { VerifierError, createVerifier } from '@revocation-fabric/verifier';
import type { Verifier, VerifierErrorCode } from '@revocation-fabric/verifier';
import { kafkaRevocations } from '@revocation-fabric/verifier/kafka';
import type { JWK } from 'jose';

/** What the test tells a process to start. */
export interface FleetProcessSetup {
  readonly brokers: readonly string[];
  readonly topic: string;
  /** Verifier `i` is named `${namePrefix}-v${i}`, its Kafka client id (and group prefix). */
  readonly namePrefix: string;
  readonly verifiers: number;
  readonly issuer: string;
  readonly audience: string;
  /** The issuer's public signing key. */
  readonly jwk: JWK;
}

export type FleetCommand =
  | { readonly type: 'start'; readonly setup: FleetProcessSetup }
  | { readonly type: 'verify'; readonly token: string };

/** A verifier's verdict on a token: `ok` or its VerifierError's code. */
export interface Verdict {
  readonly verifier: string;
  readonly outcome: VerifierErrorCode | 'ok';
}

export type FleetReport =
  | { readonly type: 'ready'; readonly verifiers: readonly string[] }
  | {
      readonly type: 'revoked';
      readonly verifier: string;
      readonly kind: RevocationRule['kind'];
      readonly target: string;
    }
  | { readonly type: 'verdicts'; readonly verdicts: readonly Verdict[] };

const fleet = new Map<string, Verifier>();

function report(message: FleetReport): void {
  process.send?.(message);
}

async function start(setup: FleetProcessSetup): Promise<void> {
  for (let i = 0; i < setup.verifiers; i += 1) {
    const name = `${setup.namePrefix}-v${i}`;
    const verifier = createVerifier({
      issuer: setup.issuer,
      audience: setup.audience,
      algorithms: ['ES256'],
      jwks: { keys: [setup.jwk] },
      revocations: kafkaRevocations({
        brokers: [...setup.brokers],
        topic: setup.topic,
        clientId: name,
      }),
    });
    fleet.set(name, verifier);
    verifier.onRevoked((rule) =>
      report({ type: 'revoked', verifier: name, kind: rule.kind, target: rule.target }),
    );
  }
  await Promise.all([...fleet.values()].map((verifier) => verifier.ready()));
  report({ type: 'ready', verifiers: [...fleet.keys()] });
}

async function verdicts(token: string): Promise<Verdict[]> {
  return Promise.all(
    [...fleet].map(async ([name, verifier]) => ({
      verifier: name,
      outcome: await verifier.verify(token).then(
        () => 'ok',
        (error: unknown) => {
          if (error instanceof VerifierError) return error.code;
          throw error;
        },
      ),
    })),
  );
}

async function handle(command: FleetCommand): Promise<void> {
  switch (command.type) {
    case 'start':
      return start(command.setup);
    case 'verify':
      return report({ type: 'verdicts', verdicts: await verdicts(command.token) });
  }
}

// A command that fails ends the process: the test's wait for the answer then fails with the
// error, from the output WorkerProcess keeps.
process.on('message', (command: FleetCommand) => {
  handle(command).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
});

// The test disconnects (or died): close every verifier, which deletes its consumer group, then
// exit; the exit code tells the test whether they all closed.
process.once('disconnect', () => {
  Promise.all([...fleet.values()].map((verifier) => verifier.close())).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
