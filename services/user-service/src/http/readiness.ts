/**
 * What `/readyz` reports: the issuer kit's readiness report, which every issuing service shares
 * (what works now and what waits for Kafka; the database alone decides the status code).
 */
export {
  issuerReadinessReport as readinessReport,
  issuerReadinessResponse as readinessResponse,
  kafkaState,
} from '@revocation-fabric/issuer-kit';
export type {
  IssuerReadiness as Readiness,
  IssuerReadinessFacts as ReadinessFacts,
  KafkaState,
} from '@revocation-fabric/issuer-kit';
