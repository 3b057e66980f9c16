import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../protocol/index.js';
import { AlterConfigOp } from './alter-configs.js';
import type { ConfigPolicy } from './controller-context.js';
import { ConfigResourceType } from './image.js';
import { applyRecords, createTopicsRequest, imageWithBrokers, newController, topic } from './testing/fixtures.js';

const { TOPIC, BROKER } = ConfigResourceType;
const policy: ConfigPolicy = {
  validate: (_type, _name, configs) => (configs.get('retention.ms') === 'forever' ? 'Invalid value forever for configuration retention.ms' : null),
  isList: (_type, name) => name === 'cleanup.policy',
};
const controller = newController(1, { configPolicy: policy });
const brokers = imageWithBrokers([1]);
const image = applyRecords(
  brokers,
  controller.createTopics(brokers, createTopicsRequest([topic('t', { configs: [{ name: 'cleanup.policy', value: 'delete' }, { name: 'segment.ms', value: '10' }] })])).records,
);

function incremental(resourceType: number, resourceName: string, configs: [string, number, string | null][], validateOnly = false) {
  return {
    resources: [{ resourceType, resourceName, configs: configs.map(([name, configOperation, value]) => ({ name, configOperation, value })) }],
    validateOnly,
  };
}

test('SET, DELETE, APPEND and SUBTRACT become ConfigRecords for what changes', () => {
  const { records, result } = controller.incrementalAlterConfigs(
    image,
    incremental(TOPIC, 't', [
      ['retention.ms', AlterConfigOp.SET, '1000'],
      ['segment.ms', AlterConfigOp.DELETE, null],
      ['cleanup.policy', AlterConfigOp.APPEND, 'compact,delete'],
    ]),
  );
  assert.deepEqual(result.responses, [{ errorCode: 0, errorMessage: null, resourceType: TOPIC, resourceName: 't' }]);
  const after = applyRecords(image, records);
  assert.deepEqual(after.topicConfigs.get('t'), new Map([['cleanup.policy', 'delete,compact'], ['retention.ms', '1000']]));
  const subtract = controller.incrementalAlterConfigs(after, incremental(TOPIC, 't', [['cleanup.policy', AlterConfigOp.SUBTRACT, 'delete']]));
  assert.deepEqual(applyRecords(after, subtract.records).topicConfigs.get('t')!.get('cleanup.policy'), 'compact');
  const noChange = controller.incrementalAlterConfigs(after, incremental(TOPIC, 't', [['retention.ms', AlterConfigOp.SET, '1000']]));
  assert.deepEqual(noChange.records, []);
});

test('broker configs: the cluster default and per broker', () => {
  const { records } = controller.incrementalAlterConfigs(image, {
    resources: [
      { resourceType: BROKER, resourceName: '', configs: [{ name: 'log.retention.ms', configOperation: 0, value: '5' }] },
      { resourceType: BROKER, resourceName: '1', configs: [{ name: 'log.retention.ms', configOperation: 0, value: '6' }] },
    ],
    validateOnly: false,
  });
  const after = applyRecords(image, records);
  assert.deepEqual([...after.brokerConfigs].map(([k, v]) => [k, v.get('log.retention.ms')]), [['', '5'], ['1', '6']]);
});

test('errors per resource', () => {
  const cases: [ReturnType<typeof incremental>, number][] = [
    [incremental(TOPIC, 'nope', [['a', 0, '1']]), ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
    [incremental(TOPIC, '', [['a', 0, '1']]), ErrorCode.INVALID_REQUEST],
    [incremental(BROKER, 'one', [['a', 0, '1']]), ErrorCode.INVALID_REQUEST],
    [incremental(8, 'x', [['a', 0, '1']]), ErrorCode.INVALID_REQUEST],
    [incremental(TOPIC, 't', [['a', 0, '1'], ['a', 1, null]]), ErrorCode.INVALID_REQUEST],
    [incremental(TOPIC, 't', [['a', 7, '1']]), ErrorCode.INVALID_REQUEST],
    [incremental(TOPIC, 't', [['a', 0, null]]), ErrorCode.INVALID_REQUEST],
    [incremental(TOPIC, 't', [['segment.ms', AlterConfigOp.APPEND, '1']]), ErrorCode.INVALID_CONFIG],
    [incremental(TOPIC, 't', [['retention.ms', 0, 'forever']]), ErrorCode.INVALID_CONFIG],
  ];
  for (const [request, code] of cases) {
    const { records, result } = controller.incrementalAlterConfigs(image, request);
    assert.equal(result.responses[0]!.errorCode, code, JSON.stringify(request.resources[0]));
    assert.deepEqual(records, []);
  }
  const validateOnly = controller.incrementalAlterConfigs(image, incremental(TOPIC, 't', [['retention.ms', 0, '1']], true));
  assert.deepEqual([validateOnly.records, validateOnly.result.responses[0]!.errorCode], [[], 0]);
});

test('legacy AlterConfigs replaces every config of the resource', () => {
  const { records, result } = controller.alterConfigs(image, {
    resources: [{ resourceType: TOPIC, resourceName: 't', configs: [{ name: 'retention.ms', value: '7' }] }],
    validateOnly: false,
  });
  assert.equal(result.responses[0]!.errorCode, 0);
  assert.deepEqual(applyRecords(image, records).topicConfigs.get('t'), new Map([['retention.ms', '7']]));
  const repeated = controller.alterConfigs(image, {
    resources: [
      { resourceType: TOPIC, resourceName: 't', configs: [] },
      { resourceType: TOPIC, resourceName: 't', configs: [] },
    ],
    validateOnly: false,
  });
  assert.deepEqual(repeated.result.responses.map((r) => r.errorCode), [42, 42]);
});
