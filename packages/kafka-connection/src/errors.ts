import type { KafkaConnectionOptions } from './options.js';

/** Which option a {@link KafkaOptionError} is about: one of the connection's, or the whole. */
export type KafkaOptionName = keyof KafkaConnectionOptions | 'options';

/**
 * Kafka connection options that cannot work: thrown by `resolveKafkaConnection` where the
 * options are given, naming the first option at fault. A `TypeError`, as wrong arguments are the
 * caller's bug; switch on `code` (always `KAFKA_OPTION_INVALID`) or read `option`.
 */
export class KafkaOptionError extends TypeError {
  /** Stable machine-readable code. */
  readonly code = 'KAFKA_OPTION_INVALID';

  constructor(
    /** The option at fault: `'sasl'` for a bad `kafka.sasl.password`, say. */
    readonly option: KafkaOptionName,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
