"""Open-loop produce latency with confluent-kafka (librdkafka), for bench/suites/latency.ts.

usage: latency_producer.py BOOTSTRAP TOPIC SIZE RATE AMOUNT ACKS [key=value ...]

RATE 0 sends AMOUNT records as fast as the producer takes them and prints the rate reached.
Otherwise AMOUNT is seconds and record i is due at start + i / RATE: it is sent when due (at
once when the loop is late), and its latency runs from when it was due to its delivery report,
so a stall counts against every record that should have gone out during it (no coordinated
omission). Records due in the first half second are warm-up and left out. The key=value pairs
are librdkafka settings (linger.ms=0 unless one says otherwise). Prints one JSON line.
"""
import gc
import json
import math
import sys
import time
from functools import partial

from confluent_kafka import Producer

WARMUP_S = 0.5
# A shorter wait sleeps rather than polls (librdkafka's poll counts whole milliseconds, so it
# would spin), at most this long at a time so that delivery reports are not kept waiting.
NAP_S = 0.0002


def percentile(sorted_ms, q):
    """Nearest rank; None when there is nothing to rank."""
    if not sorted_ms:
        return None
    return sorted_ms[max(0, math.ceil(q * len(sorted_ms)) - 1)]


def as_fast_as_possible(producer, topic, value, count):
    errors = [0]

    def on_delivery(err, _msg):
        if err is not None:
            errors[0] += 1

    t0 = time.perf_counter()
    for _ in range(count):
        while True:
            try:
                producer.produce(topic, value, on_delivery=on_delivery)
                break
            except BufferError:
                producer.poll(0.001)
        producer.poll(0)
    producer.flush(60)
    elapsed = time.perf_counter() - t0
    return {"count": count, "errors": errors[0], "seconds": elapsed, "rate": count / elapsed}


def fixed_rate(producer, topic, value, rate, seconds):
    now = time.perf_counter
    latencies = []
    lags = []
    errors = [0]
    start = now()
    warm_until = start + WARMUP_S

    def on_delivery(due, err, _msg):
        if err is not None:
            errors[0] += 1
        elif due >= warm_until:
            latencies.append((now() - due) * 1000.0)

    count = int(rate * seconds)
    i = 0
    while i < count:
        t = now()
        # Everything due by now goes out, a backlog after a stall included; the first of them is
        # the latest, and how late it is says whether the generator keeps to its schedule.
        due = start + i / rate
        if warm_until <= due <= t:
            lags.append((t - due) * 1000.0)
        while due <= t:
            producer.produce(topic, value, on_delivery=partial(on_delivery, due))
            i += 1
            if i == count:
                break
            due = start + i / rate
        producer.poll(0)
        wait = due - now()
        if i == count or wait <= 0:
            continue
        if wait >= 0.001:
            producer.poll(wait)  # returns early on a delivery report
        else:
            time.sleep(min(wait, NAP_S))
    elapsed = now() - start  # the rate it sent at, not counting the wait for the last reports
    producer.flush(60)
    latencies.sort()
    lags.sort()
    return {
        "count": len(latencies), "errors": errors[0], "rate": count / elapsed,
        "p50": percentile(latencies, 0.5), "p99": percentile(latencies, 0.99),
        "p999": percentile(latencies, 0.999), "max": latencies[-1] if latencies else None,
        "lag_p99": percentile(lags, 0.99),
    }


def main():
    if len(sys.argv) < 7:
        sys.exit(__doc__)
    bootstrap, topic, size, rate, amount, acks = sys.argv[1:7]
    conf = {"bootstrap.servers": bootstrap, "acks": acks, "linger.ms": "0", "queue.buffering.max.messages": "1000000"}
    for kv in sys.argv[7:]:
        k, v = kv.split("=", 1)
        conf[k] = v
    producer = Producer(conf)
    value = b"x" * int(size)
    # The topic's metadata first (a record produced before it is known can wait a second for
    # librdkafka's periodic topic scan), then one record, so that the connection is in place too.
    producer.list_topics(topic, timeout=10)
    producer.produce(topic, value)
    if producer.flush(10) != 0:
        sys.exit(f"latency_producer: first record not delivered to {bootstrap} in 10 s")
    # A collection in the middle of the run would count as broker latency; reference counting frees the callbacks.
    gc.disable()
    if float(rate) <= 0:
        result = as_fast_as_possible(producer, topic, value, int(amount))
    else:
        result = fixed_rate(producer, topic, value, float(rate), float(amount))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
