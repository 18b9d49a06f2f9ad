// A workspace-private package: its modules re-export whole; lib/ keeps helpers of its own, so
// only the names listed from there are public.
export * from './ensure-jars.js';
export * from './version.js';
export * from './start-cluster.js';
export * from './stop-cluster.js';
export * from './stop-node.js';
export * from './start-node.js';
export * from './cluster-status.js';
export { DEFAULT_BASE_PORT, defaultClusterName } from './lib/cluster-files.js';
export type { ClusterSelector } from './lib/cluster-files.js';
export { nodePorts } from './lib/config.js';
export * from './errors.js';
