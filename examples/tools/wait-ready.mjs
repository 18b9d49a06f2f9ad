#!/usr/bin/env node
/**
 * Waits until `GET <url>` answers 200, polling, and exits 0; exits 1 after the deadline or as
 * soon as the process `--pid` is gone (its log says why).
 *
 *   node wait-ready.mjs <url> [--timeout-ms 60000] [--pid N] [--field kafka=ok]
 *
 * --field name=value also requires that field of the JSON body (the user-service's /readyz says
 * `kafka: 'ok'` once its relay has reached the broker and created the topic).
 */
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  options: {
    'timeout-ms': { type: 'string', default: '60000' },
    pid: { type: 'string' },
    field: { type: 'string' },
  },
  allowPositionals: true,
  strict: true,
});
const [url] = positionals;
if (url === undefined) {
  console.error('usage: wait-ready.mjs <url> [--timeout-ms N] [--pid N] [--field name=value]');
  process.exit(2);
}
const [fieldName, fieldValue] = values.field?.split('=') ?? [];
const deadline = Date.now() + Number(values['timeout-ms']);

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

let last = 'no answer';
while (Date.now() < deadline) {
  if (values.pid !== undefined && !alive(Number(values.pid))) {
    console.error(`wait-ready: process ${values.pid} exited before ${url} answered 200`);
    process.exit(1);
  }
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    const text = await response.text();
    last = `HTTP ${response.status} ${text.slice(0, 300)}`;
    if (response.status === 200) {
      if (fieldName === undefined) process.exit(0);
      if (String(JSON.parse(text)[fieldName]) === fieldValue) process.exit(0);
    }
  } catch (error) {
    last = error.cause?.code ?? error.message;
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
}
console.error(`wait-ready: ${url} not ready within ${values['timeout-ms']} ms (last: ${last})`);
process.exit(1);
