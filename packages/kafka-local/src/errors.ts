/** Stable codes of every way the local Kafka tooling can fail. */
export type KafkaLocalErrorCode =
  | 'TOOL_MISSING'
  | 'JAR_RESOLUTION_FAILED'
  | 'STORAGE_FORMAT_FAILED'
  | 'PORT_IN_USE'
  | 'NODE_EXITED'
  | 'START_TIMEOUT'
  | 'CLUSTER_MISMATCH'
  | 'CLUSTER_NOT_FOUND'
  | 'UNKNOWN_NODE';

/**
 * Base class of every error this package throws. Switch on `code`, which is stable; `message`
 * is one line for humans and already says what to do about it.
 */
export abstract class KafkaLocalError extends Error {
  /** Stable machine-readable code. */
  abstract readonly code: KafkaLocalErrorCode;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A program the local broker needs (`java` to run it, `mvn` to fetch it) is not on `PATH`. */
export class ToolMissingError extends KafkaLocalError {
  override readonly code = 'TOOL_MISSING';
  constructor(
    /** The executable that could not be started. */
    readonly tool: 'java' | 'mvn',
    /** What to install, e.g. `a Java 17+ JRE`. */
    readonly install: string,
  ) {
    super(`\`${tool}\` was not found on PATH: install ${install} to run the local Kafka broker`);
  }
}

/** Maven ran but did not leave a complete set of broker jars in the cache. */
export class JarResolutionError extends KafkaLocalError {
  override readonly code = 'JAR_RESOLUTION_FAILED';
  constructor(
    /** Why resolution is considered failed. */
    detail: string,
    /** The tail of Maven's output, for diagnosis. */
    readonly output: string,
  ) {
    super(`resolving the Kafka jars with Maven failed: ${detail}`);
  }
}

/** `kafka.tools.StorageTool format` failed for a node's data directory. */
export class StorageFormatError extends KafkaLocalError {
  override readonly code = 'STORAGE_FORMAT_FAILED';
  constructor(
    /** The node whose storage could not be formatted. */
    readonly nodeId: number,
    /** Exit code of the StorageTool JVM. */
    readonly exitCode: number | null,
    /** The tool's output. */
    readonly output: string,
  ) {
    super(
      `formatting storage of node ${nodeId} failed with exit code ${exitCode}: ${lastLine(output)}`,
    );
  }
}

/** A port the cluster needs already answers, and not from a node of this cluster. */
export class PortInUseError extends KafkaLocalError {
  override readonly code = 'PORT_IN_USE';
  constructor(
    /** The busy TCP port on the loopback interface. */
    readonly port: number,
    /** The node that wanted it. */
    readonly nodeId: number,
  ) {
    super(
      `port ${port} (node ${nodeId}) is already in use by another process: pick another base port (--port) or stop that process`,
    );
  }
}

/** A node's JVM exited while the cluster was starting. */
export class NodeExitedError extends KafkaLocalError {
  override readonly code = 'NODE_EXITED';
  constructor(
    /** The node that died. */
    readonly nodeId: number,
    /** Its log file, whose tail is in `logTail`. */
    readonly logFile: string,
    /** The last lines the node logged. */
    readonly logTail: string,
  ) {
    super(`Kafka node ${nodeId} exited during start-up; see ${logFile}: ${lastLine(logTail)}`);
  }
}

/** The cluster did not answer a metadata request listing every node within the time allowed. */
export class StartTimeoutError extends KafkaLocalError {
  override readonly code = 'START_TIMEOUT';
  constructor(
    /** The cluster that did not come up. */
    readonly cluster: string,
    /** How long we waited, in milliseconds. */
    readonly timeoutMs: number,
    /** What the last readiness check saw, per node. */
    readonly lastState: string,
  ) {
    super(`Kafka cluster '${cluster}' was not ready after ${timeoutMs} ms (${lastState})`);
  }
}

/** A cluster exists under the requested name but with a different shape than requested. */
export class ClusterMismatchError extends KafkaLocalError {
  override readonly code = 'CLUSTER_MISMATCH';
  constructor(
    /** The cluster name. */
    readonly cluster: string,
    /** What differs, e.g. `it has 1 node, 3 were requested`. */
    detail: string,
  ) {
    super(`Kafka cluster '${cluster}' does not match the request: ${detail}`);
  }
}

/** No cluster of that name has been created under the data directory. */
export class ClusterNotFoundError extends KafkaLocalError {
  override readonly code = 'CLUSTER_NOT_FOUND';
  constructor(
    /** The name looked up. */
    readonly cluster: string,
    /** Where it was looked up. */
    readonly dir: string,
  ) {
    super(`no Kafka cluster '${cluster}' in ${dir}: start it first`);
  }
}

/** A node id outside the cluster's `1..nodes` range. */
export class UnknownNodeError extends KafkaLocalError {
  override readonly code = 'UNKNOWN_NODE';
  constructor(
    /** The cluster name. */
    readonly cluster: string,
    /** The id asked for. */
    readonly nodeId: number,
    /** How many nodes the cluster has. */
    readonly nodes: number,
  ) {
    super(`Kafka cluster '${cluster}' has nodes 1..${nodes}, not ${nodeId}`);
  }
}

// Messages stay one line: the full output lives on the error's fields.
function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return (lines.at(-1) ?? '').trim() || '(no output)';
}
