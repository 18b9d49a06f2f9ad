export { fixKafkajsIdleTimer } from './fix-idle-timer.js';
export type { KafkajsIdleFixOutcome } from './fix-idle-timer.js';
