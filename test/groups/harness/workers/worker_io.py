# What every Python group worker shares: its JSON config (argv[1]), one JSON event per line on
# stdout (see test/groups/harness/events.ts), and "close" on stdin (or end of input) to stop.
import json, sys, threading

cfg = json.loads(sys.argv[1])
_lock = threading.Lock()

def emit(ev, **fields):
    fields['e'] = ev
    line = json.dumps(fields, separators=(',', ':'))
    with _lock:
        sys.stdout.write(line + '\n')
        sys.stdout.flush()

closing = threading.Event()

def _read_stdin():
    for line in sys.stdin:
        if line.strip() == 'close':
            break
    closing.set()

threading.Thread(target=_read_stdin, daemon=True).start()
