import { describe, expect, it } from 'vitest';
import { encodeCreateAcls, gatewayTopicOf, revocationAcls } from './acls.js';
import { nodeLayout, renderServerProperties } from './config.js';
import { clusterSpec, properties } from './server-properties.fixture.js';

const secured = clusterSpec(3, {
  secure: { topic: 'auth.revocations', verifierGroupPrefixes: ['game-service'] },
});

describe('secured cluster config', () => {
  const rendered = properties(
    renderServerProperties(secured, nodeLayout('/tmp/unit', 29092, 2), 'pw'),
  );

  it('authenticates every listener and serves no PLAINTEXT one', () => {
    expect(rendered).toMatchObject({
      'listener.security.protocol.map': 'CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT',
      listeners: 'CLIENT://127.0.0.1:29094,CONTROLLER://127.0.0.1:29095',
      'inter.broker.listener.name': 'CLIENT',
      'listener.name.client.sasl.enabled.mechanisms': 'SCRAM-SHA-512',
      'sasl.mechanism.controller.protocol': 'PLAIN',
    });
  });

  it('denies whatever no ACL allows, with admin as the only super user', () => {
    expect(rendered).toMatchObject({
      'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
      'allow.everyone.if.no.acl.found': 'false',
      'super.users': 'User:admin',
    });
  });

  it('refuses to render a secured node without the admin password', () => {
    expect(() => renderServerProperties(secured, nodeLayout('/tmp/unit', 29092, 1))).toThrow(
      TypeError,
    );
  });
});

describe('revocation ACLs', () => {
  const acls = revocationAcls({ topic: 't', verifierGroupPrefixes: ['game-service'] });
  const grants = (principal: string): string[] =>
    acls
      .filter((acl) => acl.principal === principal)
      .map((acl) => `${acl.operation} ${acl.resource}:${acl.pattern}:${acl.name}`)
      .sort();

  it('names the gateway topic after the user-service topic', () => {
    expect(gatewayTopicOf('auth.revocations')).toBe('auth.revocations.gateway');
  });

  it.each<[principal: string, allowed: string, expected: string[]]>([
    [
      'user-service',
      'write and read its topic, read its configuration, use its key-watch and reader groups, describe the verifiers’ groups (receipts), nothing else',
      [
        'create topic:literal:t',
        'delete group:prefixed:revocation-fabric-operator-',
        'delete group:prefixed:user-service-key-watch',
        'describe group:prefixed:game-service',
        'describe group:prefixed:user-service-key-watch',
        'describe topic:literal:t',
        'describe-configs topic:literal:t',
        'read group:prefixed:revocation-fabric-operator-',
        'read group:prefixed:user-service-key-watch',
        'read topic:literal:t',
        'write topic:literal:t',
      ],
    ],
    [
      'gateway',
      'write its own topic only, never the user-service topic',
      [
        'create topic:literal:t.gateway',
        'describe topic:literal:t.gateway',
        'describe-configs topic:literal:t.gateway',
        'write topic:literal:t.gateway',
      ],
    ],
    [
      'verifier',
      'read both topics and their configuration and use its groups, never write',
      [
        'delete group:prefixed:game-service',
        'describe topic:literal:t',
        'describe topic:literal:t.gateway',
        'describe-configs topic:literal:t',
        'describe-configs topic:literal:t.gateway',
        'read group:prefixed:game-service',
        'read topic:literal:t',
        'read topic:literal:t.gateway',
      ],
    ],
  ])('lets the %s %s', (principal, _allowed, expected) => {
    expect(grants(principal)).toEqual(expected);
  });

  it('grants nothing to anyone else, and no prefixed topic pattern', () => {
    expect(new Set(acls.map((acl) => acl.principal))).toEqual(
      new Set(['user-service', 'gateway', 'verifier']),
    );
    expect(acls.filter((acl) => acl.resource === 'topic' && acl.pattern !== 'literal')).toEqual([]);
  });

  it('encodes CreateAcls v1 with one entry per binding', () => {
    const body = encodeCreateAcls(acls);
    expect(body.readInt32BE(0)).toBe(acls.length);
    // First binding: resource type TOPIC (2), name 't', pattern LITERAL (3), 'User:user-service'.
    expect(body.readInt8(4)).toBe(2);
    expect(body.toString('utf8', 7, 8)).toBe('t');
    expect(body.readInt8(8)).toBe(3);
    expect(body.toString('utf8', 11, 28)).toBe('User:user-service');
  });
});
