"""Open-loop produce latency with confluent-kafka (librdkafka), for bench/suites/latency.ts.

usage: latency_producer.py BOOTSTRAP TOPIC SIZE RATE SECONDS [key=value ...]

RATE 0 sends as fast as the producer takes records and prints the rate reached. Otherwise
record i is due at start + i / RATE; it is sent when due (or at once when the loop is late)
and its latency runs from when it was due to its delivery report, so a stall counts against
every record that should have gone out during it (no coordinated omission). The first half
second is warm-up and left out. Prints one JSON line.
"""
import json
import sys
import time

from confluent_kafka import Producer

WARMUP_S = 0.5


def percentile(sorted_ms, q):
    if not sorted_ms:
        return None
    return sorted_ms[min(len(sorted_ms) - 1, int(q * len(sorted_ms)))]


def main():
    bootstrap, topic, size, rate, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
    conf = {"bootstrap.servers": bootstrap, "acks": "1", "linger.ms": "0", "queue.buffering.max.messages": "1000000"}
    for kv in sys.argv[6:]:
        k, v = kv.split("=", 1)
        conf[k] = v
    producer = Producer(conf)
    value = b"x" * size
    latencies = []
    errors = [0]
    now = time.perf_counter
    # One record first, so the connection and the topic's metadata are in place before the clock starts.
    producer.produce(topic, value)
    producer.flush(10)
    start = now()
    count = int(rate * seconds) if rate > 0 else int(seconds)

    def report(due):
        def on_delivery(err, _msg):
            if err is not None:
                errors[0] += 1
            elif due - start >= WARMUP_S:
                latencies.append((now() - due) * 1000.0)
        return on_delivery

    if rate <= 0:
        # As fast as possible: `seconds` is a record count here.
        t0 = now()
        for _ in range(count):
            while True:
                try:
                    producer.produce(topic, value)
                    break
                except BufferError:
                    producer.poll(0.001)
            producer.poll(0)
        producer.flush(60)
        elapsed = now() - t0
        print(json.dumps({"count": count, "seconds": elapsed, "rate": count / elapsed}))
        return

    for i in range(count):
        due = start + i / rate
        while True:
            wait = due - now()
            if wait <= 0:
                break
            producer.poll(min(wait, 0.001))
        producer.produce(topic, value, on_delivery=report(due))
        producer.poll(0)
    producer.flush(60)
    latencies.sort()
    elapsed = now() - start
    print(json.dumps({
        "count": len(latencies), "errors": errors[0], "rate": count / elapsed,
        "p50": percentile(latencies, 0.5), "p99": percentile(latencies, 0.99),
        "p999": percentile(latencies, 0.999), "max": latencies[-1] if latencies else None,
    }))


if __name__ == "__main__":
    main()
