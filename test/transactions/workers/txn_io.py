# What every confluent-kafka exactly-once worker shares: the group workers' worker_io (JSON
# config in argv[1], one JSON event per line on stdout, "close" and commands on stdin) and the
# reduction of a librdkafka error to the ClientError of test/transactions/harness/events.ts.
import os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'groups', 'harness', 'workers'))

import confluent_kafka  # noqa: E402
from confluent_kafka import KafkaError, KafkaException  # noqa: E402
from worker_io import cfg, closing, commands, emit  # noqa: E402,F401

CLIENT = 'confluent-kafka %s (librdkafka %s)' % (confluent_kafka.version()[0], confluent_kafka.libversion()[0])


def describe(e):
    """A KafkaException, KafkaError or other exception as {name, message, fatal, retriable, abortable}."""
    err = e.args[0] if isinstance(e, KafkaException) and e.args and isinstance(e.args[0], KafkaError) else e
    if isinstance(err, KafkaError):
        return {'name': err.name(), 'message': err.str(), 'fatal': err.fatal(),
                'retriable': err.retriable(), 'abortable': err.txn_requires_abort()}
    return {'name': type(err).__name__, 'message': str(err)}


def on_client_error(err):
    """error_cb: librdkafka's own reports (connection lost, fatal errors), kept for diagnosis."""
    emit('clientError', error='%s%s: %s' % ('fatal ' if err.fatal() else '', err.name(), err.str()))


def started():
    emit('start', client=CLIENT, pid=os.getpid())
