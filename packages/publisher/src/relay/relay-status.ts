/** What the relay is doing, for health output and tests. */

/** A snapshot of the relay's state. */
export interface RelayStatus {
  /** The loop runs (start() called and stop() not). */
  readonly running: boolean;
  /** This instance holds the relay leadership (always true on SQLite while running). */
  readonly leader: boolean;
  /** The last publish attempt succeeded (or none failed yet). */
  readonly kafkaHealthy: boolean;
  /** The last error's message, if the last attempt failed. */
  readonly lastError: string | undefined;
  /** Events published by this instance since it was created. */
  readonly published: number;
}

/** The mutable part of {@link RelayStatus}, kept by the relay loop. */
export interface RelayState {
  leader: boolean;
  kafkaHealthy: boolean;
  lastError: string | undefined;
  published: number;
}
