# A confluent-kafka transactional producer driven step by step for the exactly-once suites.
# Usage: python3 confluent_txn.py '<json config>'
# Config: bootstrap, name, transactionalId, and optionally transactionTimeoutMs, extra (librdkafka
# properties). Commands on stdin, one JSON object a line, each answered by a "reply" event:
#   {"id": 1, "op": "init"}      init_transactions
#   {"id": 2, "op": "begin"}     begin_transaction
#   {"id": 3, "op": "send", "topic": "t", "records": [[partition, value], ...]}
#                                produce and flush; the reply lists [partition, offset, value]
#   {"id": 4, "op": "commit"}    commit_transaction
#   {"id": 5, "op": "abort"}     abort_transaction
import json, queue
from confluent_kafka import KafkaException, Producer

from txn_io import cfg, closing, commands, describe, emit, on_client_error, started

API_TIMEOUT_S = 30

conf = {
    'bootstrap.servers': cfg['bootstrap'],
    'client.id': cfg['name'],
    'transactional.id': cfg['transactionalId'],
    'linger.ms': 5,
    'error_cb': on_client_error,
}
if 'transactionTimeoutMs' in cfg:
    conf['transaction.timeout.ms'] = cfg['transactionTimeoutMs']
conf.update(cfg.get('extra', {}))
producer = Producer(conf)
started()


def send(cmd):
    delivered, failed = [], []

    def report(err, msg):
        if err is not None:
            failed.append(err)
        else:
            delivered.append([msg.partition(), msg.offset(), msg.value().decode()])

    for partition, value in cmd['records']:
        producer.produce(cmd['topic'], value=value.encode(), partition=partition, on_delivery=report)
    left = producer.flush(API_TIMEOUT_S)
    if failed:
        raise KafkaException(failed[0])
    if left:
        raise RuntimeError('%d records not delivered within %d s' % (left, API_TIMEOUT_S))
    return delivered


def run(cmd):
    op = cmd['op']
    if op == 'init':
        producer.init_transactions(API_TIMEOUT_S)
    elif op == 'begin':
        producer.begin_transaction()
    elif op == 'send':
        return send(cmd)
    elif op == 'commit':
        producer.commit_transaction(API_TIMEOUT_S)
    elif op == 'abort':
        producer.abort_transaction(API_TIMEOUT_S)
    else:
        raise ValueError('unknown op %s' % op)
    return None


while not closing.is_set():
    try:
        cmd = json.loads(commands.get(timeout=0.2))
    except queue.Empty:
        producer.poll(0)
        continue
    try:
        delivered = run(cmd)
        reply = {'id': cmd['id'], 'op': cmd['op'], 'ok': True}
        if delivered is not None:
            reply['delivered'] = delivered
        emit('reply', **reply)
    except Exception as e:  # every failure is an answer to the harness
        emit('reply', id=cmd['id'], op=cmd['op'], ok=False, error=describe(e))
emit('closed')
