# A confluent-kafka reader for the exactly-once suites: reads every partition of one topic from
# the beginning (assign, no group membership, nothing committed) at one isolation level.
# Usage: python3 confluent_reader.py '<json config>'
# Config: bootstrap, name, topic, partitions, isolation ("read_committed" | "read_uncommitted").
# Events: "rec" per record; "eof" each time a partition's end is reached (librdkafka's end is
# the last stable offset under read_committed, the high watermark otherwise).
from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, TopicPartition

from txn_io import cfg, closing, emit, on_client_error, started

consumer = Consumer({
    'bootstrap.servers': cfg['bootstrap'],
    'group.id': cfg['name'],
    'client.id': cfg['name'],
    'enable.auto.commit': False,
    'isolation.level': cfg['isolation'],
    'enable.partition.eof': True,
    'fetch.wait.max.ms': 100,
    'error_cb': on_client_error,
})
started()
consumer.assign([TopicPartition(cfg['topic'], p, OFFSET_BEGINNING) for p in range(cfg['partitions'])])
while not closing.is_set():
    for m in consumer.consume(num_messages=500, timeout=0.2):
        err = m.error()
        if err is None:
            emit('rec', p=m.partition(), o=m.offset(), v=m.value().decode())
        elif err.code() == KafkaError._PARTITION_EOF:
            emit('eof', p=m.partition(), o=m.offset())
        else:
            emit('clientError', error='%s: %s' % (err.name(), err.str()))
consumer.close()
emit('closed')
