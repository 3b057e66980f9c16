# A kafka-python group consumer for the group interop suites (same events as confluent_worker.py).
# Usage: python3 kafka_python_worker.py '<json config>'
import json, os, sys, threading, time
import kafka
from kafka import KafkaConsumer, TopicPartition, ConsumerRebalanceListener
from kafka.structs import OffsetAndMetadata

from worker_io import cfg, closing, emit

consumer = KafkaConsumer(
    bootstrap_servers=cfg['bootstrap'],
    group_id=cfg['group'],
    client_id=cfg['name'],
    enable_auto_commit=False,
    auto_offset_reset='earliest',
    session_timeout_ms=cfg.get('sessionTimeoutMs', 6000),
    heartbeat_interval_ms=cfg.get('heartbeatIntervalMs', 500),
    fetch_max_wait_ms=100,
    metadata_max_age_ms=2000,
)
emit('start', client='kafka-python %s' % kafka.__version__, pid=os.getpid())

def generation():
    g = consumer._coordinator._generation
    return None if g is None else g.generation_id

class Listener(ConsumerRebalanceListener):
    def on_partitions_revoked(self, revoked):
        emit('revoke', partitions=sorted(tp.partition for tp in revoked), incremental=False)
    def on_partitions_assigned(self, assigned):
        emit('assign', partitions=sorted(tp.partition for tp in assigned), incremental=False, generation=generation())

consumer.subscribe([cfg['topic']], listener=Listener())
delay = cfg.get('processDelayMs', 0) / 1000.0
while not closing.is_set():
    polled = consumer.poll(timeout_ms=200, max_records=cfg.get('batch', 50))
    nexts = {}
    for tp, msgs in polled.items():
        for m in msgs:
            emit('rec', p=tp.partition, o=m.offset, v=m.value.decode())
            nexts[tp.partition] = m.offset + 1
            if delay:
                time.sleep(delay)
    if nexts:
        offsets = {TopicPartition(cfg['topic'], p): OffsetAndMetadata(o, None) for p, o in nexts.items()}
        try:
            consumer.commit(offsets)
            emit('commit', offsets=sorted([p, o] for p, o in nexts.items()))
        except Exception as e:
            emit('commitError', offsets=sorted([p, o] for p, o in nexts.items()), error='%s: %s' % (type(e).__name__, e))
consumer.close()
emit('closed')
