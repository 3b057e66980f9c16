# A confluent-kafka idempotent producer (enable.idempotence, acks=all) writing a numbered stream
# for the exactly-once suites: values "<prefix>-<i>" for i in 0..count-1, value i to partition
# i % partitions, paced so the stream lasts long enough for the harness to restart the broker
# under it. Usage: python3 confluent_idempotent.py '<json config>'
# Config: bootstrap, name, topic, partitions, prefix, count, and optionally pauseEvery (records),
# pauseMs, extra (librdkafka properties).
# Events: "sent" per acknowledged record, "sendError" per record failed for good, then "done"
# and exit.
from confluent_kafka import Producer

from txn_io import cfg, closing, describe, emit, on_client_error, started

conf = {
    'bootstrap.servers': cfg['bootstrap'],
    'client.id': cfg['name'],
    'enable.idempotence': True,
    'acks': 'all',
    'linger.ms': 5,
    'message.timeout.ms': 120000,
    'retry.backoff.ms': 100,
    # The broker is restarted under the producer: reconnect within a second, not librdkafka's 10 s.
    'reconnect.backoff.max.ms': 1000,
    'error_cb': on_client_error,
}
conf.update(cfg.get('extra', {}))
producer = Producer(conf)
started()


def report(err, msg):
    value = msg.value().decode()
    if err is not None:
        emit('sendError', v=value, error=describe(err))
    else:
        emit('sent', p=msg.partition(), o=msg.offset(), v=value)


pause_every, pause_s = cfg.get('pauseEvery', 20), cfg.get('pauseMs', 10) / 1000.0
for i in range(cfg['count']):
    if closing.is_set():
        break
    value = ('%s-%d' % (cfg['prefix'], i)).encode()
    while True:
        try:
            producer.produce(cfg['topic'], value=value, partition=i % cfg['partitions'], on_delivery=report)
            break
        except BufferError:
            producer.poll(0.05)
    if (i + 1) % pause_every == 0:
        producer.poll(pause_s)
left = producer.flush(180)
if left:
    emit('clientError', error='%d records still unacknowledged after 180 s' % left)
emit('done')
