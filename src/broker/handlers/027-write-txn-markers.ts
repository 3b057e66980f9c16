/**
 * WriteTxnMarkers (27): an inter-broker API (a transaction coordinator asks a partition leader
 * to end a transaction there); clients never send it, but it works when sent. Each marker is
 * written to each of its partitions (see ../txn-markers.ts), and answered per partition: an
 * unknown partition UNKNOWN_TOPIC_OR_PARTITION, one led elsewhere NOT_LEADER_OR_FOLLOWER, a
 * fenced coordinator or producer epoch the log's refusal. Every write starts before the first
 * await, so markers to one partition land in request order.
 */
import {
  ApiKey, type WriteTxnMarkersRequest, type WriteTxnMarkersResponse, type WriteTxnMarkersResponseWritableTxnMarkerResult,
} from '../../protocol/index.js';
import { writeTxnMarker } from '../txn-markers.js';
import { allVersions, defineHandler } from './api-handler.js';

export const writeTxnMarkersHandler = defineHandler<WriteTxnMarkersRequest, WriteTxnMarkersResponse>({
  apiKey: ApiKey.WriteTxnMarkers,
  versions: allVersions(ApiKey.WriteTxnMarkers),
  async handle({ body, services }) {
    const deps = { replicas: services.replicas, groupCoordinator: services.groupCoordinator };
    const pending = body.markers.map((m) => {
      const marker = { producerId: m.producerId, producerEpoch: m.producerEpoch, coordinatorEpoch: m.coordinatorEpoch, committed: m.transactionResult };
      return {
        producerId: m.producerId,
        topics: m.topics.filter((t) => t.partitionIndexes.length > 0).map((t) => ({
          name: t.name,
          partitions: t.partitionIndexes.map((partitionIndex) => ({ partitionIndex, errorCode: writeTxnMarker(deps, t.name, partitionIndex, marker) })),
        })),
      };
    });
    const markers: WriteTxnMarkersResponseWritableTxnMarkerResult[] = [];
    for (const m of pending) {
      const topics = [];
      for (const t of m.topics) {
        const partitions = [];
        for (const p of t.partitions) partitions.push({ partitionIndex: p.partitionIndex, errorCode: await p.errorCode, _unknownTaggedFields: undefined });
        topics.push({ name: t.name, partitions, _unknownTaggedFields: undefined });
      }
      markers.push({ producerId: m.producerId, topics, _unknownTaggedFields: undefined });
    }
    return { markers, _unknownTaggedFields: undefined };
  },
});
