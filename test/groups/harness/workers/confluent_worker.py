# A confluent-kafka (librdkafka) group consumer for the group interop suites.
# Usage: python3 confluent_worker.py '<json config>'
# Config: bootstrap, topic, group, name, and optionally sessionTimeoutMs, assignor, batch,
# processDelayMs, extra (librdkafka properties).
# Prints one JSON event per line on stdout (see test/groups/harness/events.ts); reads "close" on
# stdin (or end of input) to leave the group and exit.
import json, sys, threading, time
import confluent_kafka
from confluent_kafka import Consumer, KafkaException, TopicPartition

from worker_io import cfg, closing, emit

conf = {
    'bootstrap.servers': cfg['bootstrap'],
    'group.id': cfg['group'],
    'client.id': cfg['name'],
    'enable.auto.commit': False,
    'auto.offset.reset': 'earliest',
    'session.timeout.ms': cfg.get('sessionTimeoutMs', 6000),
    'heartbeat.interval.ms': cfg.get('heartbeatIntervalMs', 500),
    'fetch.wait.max.ms': 100,
    'topic.metadata.refresh.interval.ms': 2000,
    'error_cb': lambda err: emit('clientError', error=str(err)),
}
if 'assignor' in cfg:
    conf['partition.assignment.strategy'] = cfg['assignor']
conf.update(cfg.get('extra', {}))
consumer = Consumer(conf)
emit('start', client='confluent-kafka %s (librdkafka %s)' % (confluent_kafka.version()[0], confluent_kafka.libversion()[0]), pid=__import__('os').getpid())

def parts(ps):
    return sorted(p.partition for p in ps)

def on_assign(c, ps):
    emit('assign', partitions=parts(ps), incremental=False)

def on_revoke(c, ps):
    emit('revoke', partitions=parts(ps), incremental=False)

def on_lost(c, ps):
    emit('lost', partitions=parts(ps), incremental=False)

consumer.subscribe([cfg['topic']], on_assign=on_assign, on_revoke=on_revoke, on_lost=on_lost)
delay = cfg.get('processDelayMs', 0) / 1000.0
batch = cfg.get('batch', 50)
while not closing.is_set():
    msgs = consumer.consume(num_messages=batch, timeout=0.2)
    nexts = {}
    for m in msgs:
        if m.error():
            emit('clientError', error=str(m.error()))
            continue
        emit('rec', p=m.partition(), o=m.offset(), v=m.value().decode())
        nexts[m.partition()] = m.offset() + 1
        if delay:
            time.sleep(delay)
    if nexts:
        offsets = [TopicPartition(cfg['topic'], p, o) for p, o in sorted(nexts.items())]
        try:
            result = consumer.commit(offsets=offsets, asynchronous=False)
            failed = [[tp.partition, tp.offset, str(tp.error)] for tp in result if tp.error is not None]
            ok = [[tp.partition, tp.offset] for tp in result if tp.error is None]
            if ok:
                emit('commit', offsets=ok)
            if failed:
                emit('commitError', offsets=[[p, o] for p, o, _ in failed], error='; '.join(e for _, _, e in failed))
        except KafkaException as e:
            emit('commitError', offsets=[[tp.partition, tp.offset] for tp in offsets], error=str(e))
consumer.close()
emit('closed')
