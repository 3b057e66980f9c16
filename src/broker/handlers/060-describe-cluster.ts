/**
 * DescribeCluster (60): this node as the only broker and the controller.
 */
import { ApiKey, type DescribeClusterRequest, type DescribeClusterResponse } from '../../protocol/index.js';
import { ALL_CLUSTER_OPERATIONS, OPERATIONS_NOT_REQUESTED } from '../internal-topics.js';
import { allVersions, defineHandler } from './api-handler.js';

export const describeClusterHandler = defineHandler<DescribeClusterRequest, DescribeClusterResponse>({
  apiKey: ApiKey.DescribeCluster,
  versions: allVersions(ApiKey.DescribeCluster),
  handle({ body, services, request }) {
    const endpoints = services.advertisedEndpoints();
    const endpoint = endpoints.find((e) => e.listenerName === request.connection.listenerName) ?? endpoints[0];
    return {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      endpointType: body.endpointType,
      clusterId: services.metadata.image.clusterId,
      controllerId: services.nodeId,
      brokers: endpoint ? [{ brokerId: services.nodeId, host: endpoint.host, port: endpoint.port, rack: services.settings.brokerRack, _unknownTaggedFields: undefined }] : [],
      clusterAuthorizedOperations: body.includeClusterAuthorizedOperations ? ALL_CLUSTER_OPERATIONS : OPERATIONS_NOT_REQUESTED,
      _unknownTaggedFields: undefined,
    };
  },
});
