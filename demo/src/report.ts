/**
 * What the scenario expected and measured, and how it is printed. The last line,
 * `RESULT: <met>/<total> expectations met`, is what CI greps for.
 */

/** One expectation of the scenario. */
export interface Expectation {
  readonly ok: boolean;
  readonly text: string;
}

/** One measured disconnect. */
export interface DisconnectTiming {
  readonly player: string;
  /** What ended the socket: `logout`, `ban`, `expiry`, `keycloak logout`, … */
  readonly cause: string;
  readonly instance: string;
  /** ms from the revocation's HTTP response (a Keycloak call's start, the token's `exp`) to the client's `disconnect`. */
  readonly ms: number;
}

/** The scenario's findings, printed as they come. */
export class Report {
  readonly expectations: Expectation[] = [];
  readonly timings: DisconnectTiming[] = [];
  readonly #print: (line: string) => void;

  constructor(print: (line: string) => void) {
    this.#print = print;
  }

  /** A heading for the next step. */
  step(text: string): void {
    this.#print('');
    this.#print(text);
  }

  /** A remark that is not an expectation. */
  note(text: string): void {
    this.#print(`  · ${text}`);
  }

  /** Records an expectation and prints it with ✔ or ✘. */
  expect(ok: boolean, text: string): boolean {
    this.expectations.push({ ok, text });
    this.#print(`  ${ok ? '✔' : '✘'} ${text}`);
    return ok;
  }

  /** Records an expectation that could not even be tried, because an earlier step failed. */
  fail(text: string, error: unknown): void {
    this.expect(false, `${text}: ${error instanceof Error ? error.message : String(error)}`);
  }

  time(timing: DisconnectTiming): void {
    this.timings.push(timing);
  }

  get failed(): number {
    return this.expectations.filter((e) => !e.ok).length;
  }

  /** Prints the timing table and the result line. */
  summary(): void {
    if (this.timings.length > 0) {
      this.#print('');
      this.#print(
        'Disconnect times (client clock; from the revocation’s HTTP request, from the start of a Keycloak call, or from exp):',
      );
      const width = Math.max(7, ...this.timings.map((t) => t.cause.length));
      for (const t of this.timings) {
        this.#print(
          `  ${t.player.padEnd(6)} ${t.cause.padEnd(width)} ${t.instance.padEnd(14)} ${t.ms.toFixed(1).padStart(8)} ms`,
        );
      }
    }
    const met = this.expectations.length - this.failed;
    this.#print('');
    this.#print(`RESULT: ${met}/${this.expectations.length} expectations met`);
  }
}
