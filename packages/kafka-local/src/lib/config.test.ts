import { describe, expect, it } from 'vitest';
import { nodeJmxPort, nodeLayout, nodePorts, renderServerProperties } from './config.js';
import { clusterSpec, properties } from './server-properties.fixture.js';

describe('cluster config', () => {
  it('gives node i the broker port base+2(i-1) and its controller the port above', () => {
    expect([1, 2, 3].map((id) => nodePorts(9092, id))).toEqual([
      { broker: 9092, controller: 9093 },
      { broker: 9094, controller: 9095 },
      { broker: 9096, controller: 9097 },
    ]);
  });

  it('opens JMX only when asked, node i on jmxBasePort+(i-1)', () => {
    expect(nodeJmxPort(clusterSpec(3), 2)).toBeUndefined();
    expect([1, 2, 3].map((id) => nodeJmxPort({ jmxBasePort: 49_292 }, id))).toEqual([
      49_292, 49_293, 49_294,
    ]);
  });

  it('makes three nodes voters with replication 3 and min ISR 2', () => {
    const props = properties(
      renderServerProperties(clusterSpec(3), nodeLayout('/tmp/c', 29092, 2)),
    );
    expect(props).toMatchObject({
      'node.id': '2',
      'controller.quorum.voters': '1@127.0.0.1:29093,2@127.0.0.1:29095,3@127.0.0.1:29097',
      listeners: 'PLAINTEXT://127.0.0.1:29094,CONTROLLER://127.0.0.1:29095',
      'default.replication.factor': '3',
      'min.insync.replicas': '2',
      'offsets.topic.replication.factor': '3',
      'transaction.state.log.replication.factor': '3',
      'transaction.state.log.min.isr': '2',
    });
  });

  it('keeps every replication setting at 1 for a single node', () => {
    const props = properties(
      renderServerProperties(clusterSpec(1), nodeLayout('/tmp/c', 29092, 1)),
    );
    expect(props['controller.quorum.voters']).toBe('1@127.0.0.1:29093');
    for (const key of [
      'default.replication.factor',
      'min.insync.replicas',
      'offsets.topic.replication.factor',
      'transaction.state.log.replication.factor',
      'transaction.state.log.min.isr',
      'share.coordinator.state.topic.replication.factor',
      'share.coordinator.state.topic.min.isr',
    ]) {
      expect(props[key], key).toBe('1');
    }
    expect(props['group.initial.rebalance.delay.ms']).toBe('0');
  });
});
