/** Revocation events told for operators: one line, a sentence, a JSON record. */
import { eventTarget, isBrake } from '@revocation-fabric/protocol';
import type { RevocationEvent } from '@revocation-fabric/protocol';
import type { LoggedRevocation } from '../../revocation-log.js';
import { isoTime } from './text.js';

/** What an event revokes, as a short phrase: `session s-1`, `subject u-42 before 2026-…`. */
export function targetText(event: RevocationEvent): string {
  switch (event.kind) {
    case 'token':
      return event.jti;
    case 'session':
      return event.sid;
    case 'key':
      return event.kid;
    case 'subject':
      return `${event.sub} (before ${isoTime(event.cutoff, true)}${generationText(event.generation, 'sgen')})`;
    case 'global':
      return `* (before ${isoTime(event.cutoff, true)}${generationText(event.generation, 'ggen')})`;
  }
}

function generationText(generation: number | undefined, claim: string): string {
  return generation === undefined ? '' : `, ${claim} < ${generation}`;
}

/** What the rule does to a token, as the verdict of `inspect` says it. */
export function ruleSentence(event: RevocationEvent): string {
  switch (event.kind) {
    case 'token':
      return `token ${event.jti} revoked`;
    case 'session':
      return `session ${event.sid} revoked`;
    case 'key':
      return `signing key ${event.kid} revoked`;
    case 'subject':
      return `every token of ${event.sub} issued before ${isoTime(event.cutoff, true)} revoked${generationText(event.generation, 'sgen')}`;
    case 'global':
      return `every token issued before ${isoTime(event.cutoff, true)} revoked (global cutoff${generationText(event.generation, 'ggen')})`;
  }
}

/** `partition 0, offset 17`. */
export function positionText(record: Pick<LoggedRevocation, 'partition' | 'offset'>): string {
  return `partition ${record.partition}, offset ${record.offset}`;
}

/** Whether a brake carries its signature: `signed`, `UNSIGNED`, or `-` for other kinds. */
export function signedText(record: LoggedRevocation): string {
  if (record.event === undefined || !isBrake(record.event.kind)) return '-';
  return record.signed ? 'signed' : 'UNSIGNED';
}

/** One record as `tail` prints it: time, kind, target, reason, actor, issuer, position. */
export function recordLine(record: LoggedRevocation): string {
  const where = `${record.partition}/${record.offset}`;
  const time = isoTime(record.timestamp, true);
  if (record.event === undefined) {
    const invalid = record.invalid ?? { code: 'INVALID', message: 'not an event' };
    return `${time}  INVALID  ${invalid.code}: ${invalid.message}  key=${record.key ?? '-'}  ${where}`;
  }
  const event = record.event;
  const brake = isBrake(event.kind) ? `  ${record.signed ? 'signed' : 'UNSIGNED'}` : '';
  return `${time}  ${event.kind}  ${targetText(event)}  ${event.reason}  by ${event.actor}  ${event.iss}  ${where}${brake}`;
}

/** One record as JSON (`tail --json`, `inspect --json`): the event as it is, and where it sits. */
export function recordJson(record: LoggedRevocation): Record<string, unknown> {
  return {
    partition: record.partition,
    offset: record.offset,
    timestamp: record.timestamp,
    key: record.key ?? null,
    signed: record.signed,
    ...(record.event === undefined
      ? { valid: false, invalid: record.invalid ?? null }
      : { valid: true, target: eventTarget(record.event), event: record.event }),
    ...(record.traceparent === undefined ? {} : { traceparent: record.traceparent }),
  };
}
