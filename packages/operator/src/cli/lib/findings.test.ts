import { describe, expect, it } from 'vitest';
import type { FleetView, VerifierView } from '../../fleet.js';
import type { TopicAcl, TopicSettings } from '../../kafka-client.js';
import { checkFindings } from './findings.js';
import type { CheckInput } from './findings.js';

const settings = (
  configs: Record<string, string>,
  partitions = 6,
  replicationFactor = 3,
): TopicSettings => ({
  partitions,
  replicationFactor,
  configs: {
    'cleanup.policy': 'compact,delete',
    'retention.ms': '1805000',
    'retention.bytes': '-1',
    'min.insync.replicas': '2',
    ...configs,
  },
});

const verifier = (clientId: string, committed: Map<number, number>): VerifierView => ({
  groupId: `${clientId}-g`,
  clientId,
  host: '10.0.0.5',
  state: 'Stable',
  committed,
  lag: 0,
});

const fleet = (verifiers: VerifierView[], high = 10): FleetView => ({
  topic: 't',
  partitions: [{ partition: 0, low: 0, high }],
  verifiers,
  readAt: 0,
});

const acl = (principal: string, operation: string, permission = 'ALLOW'): TopicAcl => ({
  principal,
  host: '*',
  operation,
  permission,
  resourceName: 't',
  patternType: 'LITERAL',
});

function input(overrides: Partial<CheckInput>): CheckInput {
  return {
    topic: 't',
    settings: settings({}),
    acls: {
      ok: true,
      bindings: [acl('User:user-service', 'WRITE'), acl('User:game-service', 'READ')],
    },
    fleet: fleet([verifier('game-service', new Map([[0, 10]]))]),
    maxTokenLifetimeMs: 900_000,
    clockToleranceMs: 5_000,
    ...overrides,
  };
}

const levels = (findings: ReturnType<typeof checkFindings>) =>
  findings.map((f) => `${f.level} ${f.area}`);

describe('checkFindings', () => {
  it('finds nothing wrong with the spec topic, named writers and verifiers with receipts', () => {
    const findings = checkFindings(input({}));
    expect(findings.every((finding) => finding.level === 'ok')).toBe(true);
    expect(findings.find((finding) => finding.area === 'acl')?.text).toBe(
      'allowed to write: User:user-service',
    );
  });

  it('is a problem when retention is shorter than a token lifetime plus tolerance, with the fix', () => {
    const findings = checkFindings(input({ settings: settings({ 'retention.ms': '600000' }) }));
    const retention = findings.find((finding) => finding.area === 'retention');
    expect(retention).toMatchObject({
      level: 'problem',
      fix: expect.stringContaining('retention.ms=1805000'),
    });
    expect(retention?.text).toMatch(/below the least 910000 ms/);
  });

  it('warns of a broker without an authorizer: anyone may write', () => {
    const error = Object.assign(new Error('Security features are disabled'), {
      type: 'SECURITY_DISABLED',
    });
    const findings = checkFindings(input({ acls: { ok: false, error } }));
    expect(findings.find((finding) => finding.area === 'acl')).toMatchObject({
      level: 'warn',
      text: expect.stringContaining(
        'no authorizer: anyone who reaches the brokers may write the topic',
      ),
    });
  });

  it('is a problem when a wildcard principal may write, unless a deny overrides a named one', () => {
    const findings = checkFindings(
      input({
        acls: {
          ok: true,
          bindings: [
            acl('User:*', 'ALL'),
            acl('User:old', 'WRITE'),
            acl('User:old', 'WRITE', 'DENY'),
          ],
        },
      }),
    );
    expect(levels(findings)).toContain('problem acl');
    expect(findings.find((f) => f.level === 'ok' && f.area === 'acl')?.text).toBe(
      'allowed to write: none by name',
    );
  });

  it('warns of verifiers that never committed a receipt once there are records, and of a thin layout', () => {
    const findings = checkFindings(
      input({
        settings: settings({ 'min.insync.replicas': '1' }, 1, 1),
        fleet: fleet([
          verifier('old-verifier', new Map()),
          verifier('game-service', new Map([[0, 10]])),
        ]),
      }),
    );
    expect(levels(findings)).toEqual(
      expect.arrayContaining([
        'warn partitions',
        'warn replication',
        'ok min.insync.replicas',
        'warn receipts',
      ]),
    );
    expect(findings.find((f) => f.area === 'receipts')?.text).toContain(
      'old-verifier (10.0.0.5, group old-verifier-g)',
    );
    // On an empty topic nobody has anything to receipt yet.
    expect(levels(checkFindings(input({ fleet: fleet([verifier('v', new Map())], 0) })))).toContain(
      'ok receipts',
    );
  });

  it('is a problem when min.insync.replicas exceeds the replicas: nothing can be published', () => {
    expect(
      levels(checkFindings(input({ settings: settings({ 'min.insync.replicas': '2' }, 3, 1) }))),
    ).toContain('problem min.insync.replicas');
  });
});
