/** What a result was measured on, and at which commit. */
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
  readonly kafkaVersion: string;
  readonly kafkaSource: string;
  readonly brokers: readonly string[];
  readonly redisVersion: string;
}

export interface GitInfo {
  readonly sha: string;
  /** Uncommitted changes were present: the figures are of the working tree, not of `sha`. */
  readonly dirty: boolean;
}

export function machineInfo(
  kafka: {
    readonly kafkaVersion: string;
    readonly source: string;
    readonly brokers: readonly string[];
  },
  redisVersion: string,
): MachineInfo {
  const cpu = cpus();
  return {
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    kafkaVersion: kafka.kafkaVersion,
    kafkaSource: kafka.source,
    brokers: kafka.brokers,
    redisVersion,
  };
}

export function gitInfo(cwd: string): GitInfo {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], {
      cwd,
      encoding: 'utf8',
    }).trim();
    const status = execFileSync('git', ['status', '--porcelain'], { cwd, encoding: 'utf8' });
    return { sha, dirty: status.trim() !== '' };
  } catch {
    return { sha: 'nogit', dirty: true };
  }
}
