/** Where an issuer's data lives: the same two choices, from the same variables, for every service. */

/** An embedded SQLite file (the default) or a PostgreSQL server (several instances). */
export type DatabaseConfig =
  | {
      readonly kind: 'sqlite';
      /** Path of the database file (created if missing), or `:memory:`. */
      readonly path: string;
    }
  | {
      readonly kind: 'postgres';
      /** A `postgres://` connection string. */
      readonly url: string;
      /** Largest number of pooled connections. Default 10. */
      readonly poolMax: number;
    };
