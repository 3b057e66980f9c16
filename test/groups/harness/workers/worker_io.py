# What every Python worker shares: its JSON config (argv[1]), one JSON event per line on stdout
# (see test/groups/harness/events.ts and test/transactions/harness/events.ts), and "close" on
# stdin (or end of input) to stop. Other non-empty stdin lines are queued on `commands` for
# workers driven step by step (the transaction suites); the group workers ignore them.
import json, queue, sys, threading

cfg = json.loads(sys.argv[1])
_lock = threading.Lock()

def emit(ev, **fields):
    fields['e'] = ev
    line = json.dumps(fields, separators=(',', ':'))
    with _lock:
        sys.stdout.write(line + '\n')
        sys.stdout.flush()

closing = threading.Event()
commands = queue.Queue()

def _read_stdin():
    for line in sys.stdin:
        text = line.strip()
        if text == 'close':
            break
        if text:
            commands.put(text)
    closing.set()

threading.Thread(target=_read_stdin, daemon=True).start()
