import type { FastifyReply } from 'fastify';
import type { VerifierError } from '../errors.js';
import { refusalOf } from '../lib/refusal.js';
import type { RefusalOptions } from '../lib/refusal.js';

/**
 * Answers a refused request with the shared refusal (`lib/refusal.ts`) — the very status,
 * headers and body the express adapter sends — under the id fastify logs the request with.
 * Sent through the reply, so onSend hooks and the response log see it like any answer.
 */
export function sendRefusal(
  reply: FastifyReply,
  error: VerifierError,
  options: RefusalOptions,
): void {
  const { status, headers, body } = refusalOf(error, options, reply.request.id);
  void reply.code(status).headers(headers).send(body);
}
