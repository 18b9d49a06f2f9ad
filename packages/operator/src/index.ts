export { connectOperator, DEFAULT_OPERATOR_CLIENT_ID } from './connect.js';
export { OPERATOR_GROUP_PREFIX, operatorKafka } from './kafka-client.js';
export type {
  ConsumerGroup,
  GroupMember,
  OperatorKafka,
  PartitionRange,
  ReadOptions,
  TopicAcl,
  TopicRecord,
  TopicSettings,
} from './kafka-client.js';
export { lagOf, readFleet } from './fleet.js';
export type { FleetView, ReadFleetOptions, VerifierView } from './fleet.js';
export {
  REVOCATION_RECEIPT_STATES,
  behind,
  eventTarget,
  highWaterTarget,
  receiptOf,
  waitForApplied,
} from './receipts.js';
export type {
  AppliedOutcome,
  AppliedTarget,
  Receipt,
  ReceiptVerifier,
  RevocationReceipt,
  RevocationReceiptState,
  WaitForAppliedOptions,
} from './receipts.js';
export { decodeRecord, followRevocations, readRevocations } from './revocation-log.js';
export type {
  FollowRevocationsOptions,
  LoggedRevocation,
  ReadRevocationsOptions,
} from './revocation-log.js';
