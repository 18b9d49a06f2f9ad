import { describe, expect, it } from 'vitest';
import { formatTraceparent, parseTraceparent } from './trace-context.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

describe('traceparent', () => {
  it('reads a version-00 traceparent and writes it back unchanged', () => {
    const value = `00-${TRACE_ID}-${SPAN_ID}-01`;
    const parent = parseTraceparent(value);
    expect(parent).toEqual({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 });
    expect(parent && formatTraceparent(parent)).toBe(value);
  });

  it('reads the first four fields of a later version', () => {
    expect(parseTraceparent(`01-${TRACE_ID}-${SPAN_ID}-00-more`)).toEqual({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: 0,
    });
  });

  it.each([
    ['version ff', `ff-${TRACE_ID}-${SPAN_ID}-01`],
    ['extra fields on version 00', `00-${TRACE_ID}-${SPAN_ID}-01-x`],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${SPAN_ID}-01`],
    ['an all-zero span id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['upper-case hex', `00-${TRACE_ID.toUpperCase()}-${SPAN_ID}-01`],
    ['a short trace id', `00-${TRACE_ID.slice(1)}-${SPAN_ID}-01`],
    ['garbage', 'not a traceparent'],
  ])('ignores %s', (_name, value) => {
    expect(parseTraceparent(value)).toBeUndefined();
  });

  it('refuses to write an invalid span context', () => {
    expect(() => formatTraceparent({ traceId: 'x', spanId: SPAN_ID, traceFlags: 1 })).toThrow(
      TypeError,
    );
    expect(() =>
      formatTraceparent({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 256 }),
    ).toThrow(TypeError);
  });
});
