/**
 * Who may write the revocation topic, as far as DescribeAcls shows it: a broker without an
 * authorizer lets anyone; a wildcard principal allowed to write lets every principal.
 */
import type { TopicAcl } from '../../kafka-client.js';
import type { CheckInput, Finding } from './findings.js';

/** Kafka's answer when the brokers run without an authorizer (SECURITY_DISABLED, error 54). */
export function isNoAuthorizer(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const type = (error as { type?: unknown }).type;
  const message = error instanceof Error ? error.message : '';
  return (
    type === 'SECURITY_DISABLED' || /security features are disabled|no authorizer/i.test(message)
  );
}

function writes(binding: TopicAcl): boolean {
  return binding.operation === 'WRITE' || binding.operation === 'ALL';
}

/** Who may write the topic, as far as DescribeAcls shows it. */
export function aclFindings(input: CheckInput): Finding[] {
  const { acls } = input;
  if (!acls.ok) {
    if (isNoAuthorizer(acls.error))
      return [
        {
          level: 'warn',
          area: 'acl',
          text: 'no authorizer: anyone who reaches the brokers may write the topic (and pull a brake, if it can sign one)',
          fix: 'run the brokers with StandardAuthorizer and SASL; allow WRITE on the topic to the producers only (see the deployment notes)',
        },
      ];
    const message = acls.error instanceof Error ? acls.error.message : String(acls.error);
    return [
      {
        level: 'warn',
        area: 'acl',
        text: `cannot read the topic's ACLs: ${message}`,
        fix: 'grant this principal Describe on the cluster (DescribeAcls) to check who may write',
      },
    ];
  }
  const denied = new Set(
    acls.bindings
      .filter((binding) => binding.permission === 'DENY' && writes(binding))
      .map((binding) => binding.principal),
  );
  const writers = [
    ...new Set(
      acls.bindings
        .filter(
          (binding) =>
            binding.permission === 'ALLOW' && writes(binding) && !denied.has(binding.principal),
        )
        .map((binding) => binding.principal),
    ),
  ].sort();
  const findings: Finding[] = [];
  const wildcard = writers.filter(
    (principal) => principal === 'User:*' || principal.endsWith(':*'),
  );
  if (wildcard.length > 0)
    findings.push({
      level: 'problem',
      area: 'acl',
      text: `${wildcard.join(', ')} may write the topic: every principal can publish rules`,
      fix: `kafka-acls.sh --bootstrap-server <broker> --remove --allow-principal '${wildcard[0]}' --operation Write --topic ${input.topic}; then allow the producers by name`,
    });
  const named = writers.filter((principal) => !wildcard.includes(principal));
  findings.push(
    named.length === 0 && wildcard.length === 0
      ? {
          level: 'ok',
          area: 'acl',
          text: 'no principal is allowed to write the topic (super users only)',
        }
      : {
          level: 'ok',
          area: 'acl',
          text: `allowed to write: ${named.length === 0 ? 'none by name' : named.join(', ')}`,
        },
  );
  return findings;
}
