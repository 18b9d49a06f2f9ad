export { ensureJars } from './ensure-jars.js';
export type { EnsureJarsOptions, KafkaJars } from './ensure-jars.js';
export { pinnedKafkaVersion } from './version.js';
export { startCluster } from './start-cluster.js';
export type {
  LocalCluster,
  LocalCredentials,
  LocalNode,
  LocalPrincipal,
  NodeCount,
  SecureClusterOptions,
  StartClusterOptions,
} from './start-cluster.js';
export { stopCluster } from './stop-cluster.js';
export type { StopClusterOptions, StoppedCluster } from './stop-cluster.js';
export { killNode, stopNode } from './stop-node.js';
export type { StopNodeOptions, StopSignal, StoppedNode } from './stop-node.js';
export { startNode } from './start-node.js';
export type { StartNodeOptions } from './start-node.js';
export { clusterStatus, listClusters } from './cluster-status.js';
export type { ClusterStatus, NodeStatus } from './cluster-status.js';
export { DEFAULT_BASE_PORT, defaultClusterName } from './lib/cluster-files.js';
export type { ClusterSelector } from './lib/cluster-files.js';
export { nodePorts } from './lib/config.js';
export {
  ClusterMismatchError,
  ClusterNotFoundError,
  JarResolutionError,
  KafkaLocalError,
  NodeExitedError,
  PortInUseError,
  StartTimeoutError,
  StorageFormatError,
  ToolMissingError,
  UnknownNodeError,
} from './errors.js';
export type { KafkaLocalErrorCode } from './errors.js';
