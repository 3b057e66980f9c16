import { type BrokerRegistrationRequest, type BrokerRegistrationResponse, ErrorCode } from '../protocol/index.js';
import type { ApiError, ControllerResult } from './controller-context.js';
import { METADATA_VERSION_FEATURE, type MetadataImage } from './image.js';
import { type MetadataRecord, metadataRecord } from './records.js';

/**
 * Broker lifecycle (Kafka's ClusterControlManager): a broker registers fenced with its
 * listeners and supported features, and is unfenced once it has caught up with the metadata log.
 * The broker epoch is the offset of its RegisterBrokerRecord, so each registration gets a new one.
 */

/** The metadata.version written when the log is empty: 3.6-IV2, matching the record versions written. */
export const BOOTSTRAP_METADATA_VERSION = 14;

/** The records that start an empty metadata log (Kafka's bootstrap metadata). */
export function bootstrapRecords(metadataVersion = BOOTSTRAP_METADATA_VERSION): MetadataRecord[] {
  return [metadataRecord('FeatureLevelRecord', { name: METADATA_VERSION_FEATURE, featureLevel: metadataVersion })];
}

/** Kafka's checkBrokerEpoch: the broker is registered with exactly this epoch. */
export function brokerEpochError(image: MetadataImage, brokerId: number, brokerEpoch: bigint): ApiError | null {
  const broker = image.brokers.get(brokerId);
  if (broker === undefined) return { code: ErrorCode.STALE_BROKER_EPOCH, message: `No broker registration found for broker ${brokerId}` };
  if (broker.brokerEpoch !== brokerEpoch) {
    return { code: ErrorCode.STALE_BROKER_EPOCH, message: `Expected broker epoch ${broker.brokerEpoch}, but got broker epoch ${brokerEpoch}` };
  }
  return null;
}

function registrationError(image: MetadataImage, request: BrokerRegistrationRequest): ApiError | null {
  if (request.clusterId !== image.clusterId) {
    return { code: ErrorCode.INCONSISTENT_CLUSTER_ID, message: `Expected cluster ID ${image.clusterId}, but got cluster ID ${request.clusterId}` };
  }
  const level = image.features.get(METADATA_VERSION_FEATURE);
  const range = request.features.find((f) => f.name === METADATA_VERSION_FEATURE);
  if (level !== undefined && range !== undefined && (level < range.minSupportedVersion || level > range.maxSupportedVersion)) {
    return {
      code: ErrorCode.UNSUPPORTED_VERSION,
      message:
        `Unable to register because the broker does not support version ${level} of metadata.version. ` +
        `It wants a version between ${range.minSupportedVersion} and ${range.maxSupportedVersion}, inclusive.`,
    };
  }
  return null;
}

/**
 * BrokerRegistration: one RegisterBrokerRecord, fenced. `brokerEpoch` must be the offset that
 * record will get (the log end offset when the operation runs). A new incarnation replaces the
 * old registration; without heartbeats yet, there is no live session to protect.
 */
export function registerBroker(
  image: MetadataImage,
  request: BrokerRegistrationRequest,
  brokerEpoch: bigint,
): ControllerResult<BrokerRegistrationResponse> {
  const error = registrationError(image, request);
  if (error !== null) return { records: [], result: { throttleTimeMs: 0, errorCode: error.code, brokerEpoch: -1n } };
  const record = metadataRecord('RegisterBrokerRecord', {
    brokerId: request.brokerId,
    isMigratingZkBroker: false,
    incarnationId: request.incarnationId,
    brokerEpoch,
    endPoints: request.listeners.map(({ name, host, port, securityProtocol }) => ({ name, host, port, securityProtocol })),
    features: request.features.map(({ name, minSupportedVersion, maxSupportedVersion }) => ({ name, minSupportedVersion, maxSupportedVersion })),
    rack: request.rack,
    fenced: true,
    inControlledShutdown: false,
    logDirs: [],
  });
  return { records: [record], result: { throttleTimeMs: 0, errorCode: ErrorCode.NONE, brokerEpoch } };
}

/** Unfences a registered broker (an UnfenceBrokerRecord); STALE_BROKER_EPOCH for a wrong epoch. */
export function unfenceBroker(image: MetadataImage, brokerId: number, brokerEpoch: bigint): ControllerResult<ApiError> {
  const error = brokerEpochError(image, brokerId, brokerEpoch);
  if (error !== null) return { records: [], result: error };
  const records = image.brokers.get(brokerId)!.fenced ? [metadataRecord('UnfenceBrokerRecord', { id: brokerId, epoch: brokerEpoch })] : [];
  return { records, result: { code: ErrorCode.NONE, message: null } };
}
