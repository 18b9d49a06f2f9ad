/**
 * Which subjects the stream covers. A transmitter whose `default_subjects` is `NONE` (SSF 1.0
 * §7.1) sends nothing about a subject until the receiver adds it; the gateway adds the
 * configured `ssf.subjects` after every set-up (adding again is harmless) and otherwise says,
 * in `/readyz` and once in the log, that nothing will arrive.
 */
import { addSubject } from './add-subject.js';
import type { SubjectIdentifier } from './add-subject.js';
import type { SsfConfiguration } from './discovery.js';

/**
 * What the stream covers: the transmitter's default (`ALL`, or unannounced), the subjects the
 * gateway added, or `none` (default `NONE` and nothing could be added: no event will come).
 */
export type SubjectCoverage = 'default' | 'added' | 'none';

/** What {@link addConfiguredSubjects} found, and what the operator must hear of it. */
export interface SubjectsOutcome {
  readonly coverage: SubjectCoverage;
  /** Why the configured subjects could not take effect, for one warning. */
  readonly problem: string | undefined;
}

/** The stream, the token and the configuration the subjects are added with. */
export interface SubjectsInput {
  readonly transmitter: SsfConfiguration;
  readonly streamId: string;
  readonly token: string;
  readonly subjects: readonly SubjectIdentifier[] | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Adds the configured subjects to the stream, one request each, and reports the coverage.
 *
 * @example
 * ```ts
 * const { coverage, problem } = await addConfiguredSubjects({ transmitter, streamId, token, subjects: ssf.subjects });
 * ```
 * @throws {@link TransmitterRequestError} (`subject-add`) when the transmitter refuses one.
 */
export async function addConfiguredSubjects(input: SubjectsInput): Promise<SubjectsOutcome> {
  const none = input.transmitter.default_subjects?.toUpperCase() === 'NONE';
  const endpoint = input.transmitter.add_subject_endpoint;
  if (input.subjects === undefined) {
    return none
      ? {
          coverage: 'none',
          problem:
            'the transmitter’s default_subjects is NONE and no ssf.subjects are configured: it sends no events until subjects are added',
        }
      : { coverage: 'default', problem: undefined };
  }
  if (endpoint === undefined) {
    return {
      coverage: none ? 'none' : 'default',
      problem: 'ssf.subjects are configured but the transmitter has no add_subject_endpoint',
    };
  }
  const call = { endpoint, token: input.token, signal: input.signal };
  for (const subject of input.subjects) await addSubject(call, input.streamId, subject);
  return { coverage: 'added', problem: undefined };
}
