/**
 * The committed AsyncAPI document (`docs/asyncapi.yaml`) against the protocol package: it is
 * what the generator builds today, it is valid AsyncAPI 3.0, and its message schemas accept the
 * events the protocol's encoder writes and refuse one the protocol refuses.
 * `WRITE_CONTRACT=1` (`pnpm contract:write`) rewrites the file before checking it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { Ajv } from 'ajv';
import type { Schema } from 'ajv';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  RULE_KINDS,
  createEvent,
  encodeEvent,
  isBrake,
  validateEvent,
} from '@revocation-fabric/protocol';
import type { RevocationEvent, RuleKind } from '@revocation-fabric/protocol';
import {
  ASYNCAPI_PATH,
  EVENT_ID_HEADER,
  messageName,
  renderAsyncApi,
  revocationsAsyncApi,
} from './asyncapi-document.js';

const WRITE = process.env['WRITE_CONTRACT'] === '1';

/** A message of the parsed document, as the checks below read it. */
interface DocumentMessage {
  readonly name: string;
  readonly payload: Schema;
  readonly headers: Schema;
  readonly key: Schema;
}

/** A schema read from the parser's model: the document's JSON schema (draft-07), annotated. */
function jsonSchema(value: unknown, what: string): Schema {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'object' && value !== null) return value;
  throw new Error(`${what} is not a JSON schema: ${String(value)}`);
}

/** The document's messages, read through the AsyncAPI parser's model. */
function documentMessages(document: NonNullable<Awaited<ReturnType<Parser['parse']>>['document']>) {
  const messages = new Map<string, DocumentMessage>();
  for (const message of document.components().messages().all()) {
    const name = message.name() ?? message.id();
    const kafka: unknown = message.bindings().get('kafka')?.value();
    const key: unknown =
      typeof kafka === 'object' && kafka !== null ? Reflect.get(kafka, 'key') : undefined;
    messages.set(name, {
      name,
      payload: jsonSchema(message.payload()?.json(), `the payload of ${name}`),
      headers: jsonSchema(message.headers()?.json(), `the headers of ${name}`),
      key: jsonSchema(key, `the Kafka key of ${name}`),
    });
  }
  return messages;
}

/** Real events of every kind, as a service would create them now. */
function liveEvents(): RevocationEvent[] {
  const iss = 'https://sso.example/realms/main';
  const now = Date.now();
  return [
    createEvent({
      kind: 'token',
      jti: 'j-1',
      expiresAt: now + 60_000,
      reason: 'logout',
      actor: 'u-1',
      iss,
    }),
    createEvent({ kind: 'session', sid: 'sid:with:colons', reason: 'logout', actor: 'u-1', iss }),
    createEvent({ kind: 'subject', sub: 'u-1', cutoff: now, reason: 'ban', actor: 'admin', iss }),
    createEvent({
      kind: 'subject',
      sub: 'u-2',
      cutoff: now,
      generation: 12,
      reason: 'password-change',
      actor: 'u-2',
      iss,
    }),
    createEvent({ kind: 'key', kid: 'k-2026', reason: 'key-compromise', actor: 'admin', iss }),
    createEvent({ kind: 'global', cutoff: now, reason: 'emergency', actor: 'admin', iss }),
  ];
}

describe('the AsyncAPI document of the revocation topics', () => {
  let committed: string;
  let parsed: Awaited<ReturnType<Parser['parse']>>;
  let messages: Map<string, DocumentMessage>;
  const ajv = new Ajv({ allErrors: true, strict: true });
  // The parser names every schema it reads with this annotation.
  ajv.addKeyword('x-parser-schema-id');

  beforeAll(async () => {
    if (WRITE) writeFileSync(ASYNCAPI_PATH, await renderAsyncApi(revocationsAsyncApi()));
    committed = readFileSync(ASYNCAPI_PATH, 'utf8');
    parsed = await new Parser().parse(committed);
    messages = parsed.document === undefined ? new Map() : documentMessages(parsed.document);
  });

  it('is committed as the protocol package generates it (else run pnpm contract:write)', () => {
    expect(
      parse(committed),
      'docs/asyncapi.yaml is not what the protocol generates: run pnpm contract:write',
    ).toEqual(revocationsAsyncApi());
  });

  it('is valid AsyncAPI 3.0, with no error diagnostics', () => {
    const errors = parsed.diagnostics.filter(
      // The parser's diagnostics and its export name the same severities from two copies of
      // @stoplight/types: compare their values.
      (d) => Number(d.severity) === Number(DiagnosticSeverity.Error),
    );
    expect(errors.map((d) => `${d.path.join('.')}: ${d.message}`)).toEqual([]);
    expect(parsed.document?.version()).toBe('3.0.0');
    expect([...messages.keys()].sort()).toEqual(RULE_KINDS.map(messageName).sort());
    const topics =
      parsed.document
        ?.channels()
        .all()
        .map((c) => c.address()) ?? [];
    expect(topics.sort()).toEqual(['auth.revocations', 'auth.revocations.gateway']);
  });

  it('accepts every event the encoder writes by the message of its kind only, key included', () => {
    for (const event of liveEvents()) {
      const encoded = encodeEvent(event);
      const value: unknown = JSON.parse(encoded.value);
      const accepting = [...messages.values()]
        .filter((message) => ajv.validate(message.payload, value))
        .map((message) => message.name);
      expect(accepting, encoded.value).toEqual([messageName(event.kind)]);
      const message = messages.get(messageName(event.kind));
      expect(ajv.validate(message?.key ?? false, encoded.key), encoded.key).toBe(true);
      // A brake counts only with its signature header: the document requires it.
      expect(ajv.validate(message?.headers ?? false, { [EVENT_ID_HEADER]: event.id })).toBe(
        !isBrake(event.kind),
      );
    }
  });

  it('refuses, as the protocol does, an event that breaks the schema', () => {
    const valid = encodeEvent(liveEvents()[0]!);
    const broken: Record<string, unknown> = { ...(JSON.parse(valid.value) as object), sid: 's-1' };
    delete broken['expiresAt'];
    expect(() => validateEvent(broken)).toThrow(expect.objectContaining({ code: 'EVENT_INVALID' }));
    expect(messages.size).toBe(RULE_KINDS.length);
    for (const message of messages.values()) {
      expect(ajv.validate(message.payload, broken), message.name).toBe(false);
    }
  });

  it('refuses a key of another kind than the message', () => {
    const key = messages.get(messageName('session'))?.key ?? false;
    const encoded = encodeEvent(liveEvents()[1]!).key;
    expect(ajv.validate(key, encoded)).toBe(true);
    const kinds: RuleKind[] = ['token', 'subject', 'global'];
    for (const kind of kinds) {
      expect(ajv.validate(key, encoded.replace(/^session/, kind)), kind).toBe(false);
    }
  });
});
