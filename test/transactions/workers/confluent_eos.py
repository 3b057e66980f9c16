# A confluent-kafka consume-transform-produce worker (exactly-once) for the exactly-once suites.
# Usage: python3 confluent_eos.py '<json config>'
# Config: bootstrap, name, group, input, output, transactionalId, and optionally instanceId
# (group.instance.id: a restarted worker takes its predecessor's place without a rebalance),
# batch (inputs per transaction), transactionTimeoutMs.
# A read_committed group consumer; per transaction: every polled input becomes one output record
# "<value>|<partition>|<offset>" on the same partition of the output topic, the consumer's
# positions go in with send_offsets_to_transaction, then commit. Events: "assign", "txn" per
# commit, "txnError" with what was done about it (abort and rewind to the committed offsets,
# retry, or exit 3 so that the harness starts a new instance), "closed" on "close".
import os
from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaException, Producer

from txn_io import cfg, closing, describe, emit, on_client_error, started

API_TIMEOUT_S = 30
RETRIES = 5

consumer_conf = {
    'bootstrap.servers': cfg['bootstrap'],
    'group.id': cfg['group'],
    'client.id': cfg['name'],
    'enable.auto.commit': False,
    'isolation.level': 'read_committed',
    'auto.offset.reset': 'earliest',
    'session.timeout.ms': 6000,
    'heartbeat.interval.ms': 500,
    'fetch.wait.max.ms': 100,
    # The broker is restarted under the worker: reconnect within a second, not librdkafka's 10 s.
    'reconnect.backoff.max.ms': 1000,
    'error_cb': on_client_error,
}
if 'instanceId' in cfg:
    consumer_conf['group.instance.id'] = cfg['instanceId']
consumer = Consumer(consumer_conf)
producer = Producer({
    'bootstrap.servers': cfg['bootstrap'],
    'client.id': cfg['name'],
    'transactional.id': cfg['transactionalId'],
    'transaction.timeout.ms': cfg.get('transactionTimeoutMs', 30000),
    'linger.ms': 5,
    'reconnect.backoff.max.ms': 1000,
    'error_cb': on_client_error,
})
started()


def fail(stage, e):
    emit('txnError', stage=stage, action='exit', error=describe(e))
    os._exit(3)


def attempt(stage, call):
    """Runs a transactional call, retrying what librdkafka calls retriable; raises the rest."""
    for n in range(RETRIES):
        try:
            return call()
        except KafkaException as e:
            err = e.args[0]
            if not err.retriable() or n == RETRIES - 1 or err.txn_requires_abort() or err.fatal():
                raise
            emit('txnError', stage=stage, action='retry', error=describe(e))


def rewind():
    """After an abort: back to the committed offsets (the aborted outputs are thrown away)."""
    committed = consumer.committed(consumer.assignment(), timeout=API_TIMEOUT_S)
    for tp in committed:
        if tp.offset < 0:
            tp.offset = OFFSET_BEGINNING
        consumer.seek(tp)


# The transactional id is initialised first: InitProducerId returns once a predecessor's
# transaction is finished, so the offsets read next are the ones it committed.
try:
    producer.init_transactions(API_TIMEOUT_S)
except KafkaException as e:
    fail('init', e)
consumer.subscribe([cfg['input']], on_assign=lambda c, ps: emit('assign', partitions=sorted(p.partition for p in ps)))

batch = cfg.get('batch', 10)
while not closing.is_set():
    inputs = [m for m in consumer.consume(num_messages=batch, timeout=0.2) if m.error() is None]
    if not inputs:
        continue
    stage = 'begin'
    try:
        producer.begin_transaction()
        stage = 'produce'
        for m in inputs:
            value = '%s|%d|%d' % (m.value().decode(), m.partition(), m.offset())
            producer.produce(cfg['output'], key=m.key(), value=value.encode(), partition=m.partition())
        stage = 'sendOffsets'
        positions = [tp for tp in consumer.position(consumer.assignment()) if tp.offset >= 0]
        attempt(stage, lambda: producer.send_offsets_to_transaction(positions, consumer.consumer_group_metadata(), API_TIMEOUT_S))
        stage = 'commit'
        attempt(stage, lambda: producer.commit_transaction(API_TIMEOUT_S))
        emit('txn', inputs=len(inputs), positions=sorted([tp.partition, tp.offset] for tp in positions))
    except KafkaException as e:
        if not e.args[0].txn_requires_abort():
            fail(stage, e)
        emit('txnError', stage=stage, action='abort', error=describe(e))
        try:
            producer.abort_transaction(API_TIMEOUT_S)
            rewind()
        except KafkaException as e2:
            fail('abort', e2)
    except Exception as e:  # BufferError and the like: a new instance starts clean
        fail(stage, e)
consumer.close()
emit('closed')
