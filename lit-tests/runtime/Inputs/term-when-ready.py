"""term-when-ready.py READY CMD ARGS...: runs CMD, sends SIGTERM to it (only
to it, not to its process group) once the file READY exists, and prints its
exit status after its output (run-forwards-signals.c)."""
import os
import signal
import subprocess
import sys
import time

ready, command = sys.argv[1], sys.argv[2:]
proc = subprocess.Popen(command)
deadline = time.monotonic() + 60
while not os.path.exists(ready) and proc.poll() is None and time.monotonic() < deadline:
    time.sleep(0.05)
if proc.poll() is None:
    proc.send_signal(signal.SIGTERM)
try:
    status = proc.wait(timeout=60)
except subprocess.TimeoutExpired:
    proc.kill()
    status = proc.wait()
    print("lockgraph did not exit after SIGTERM", flush=True)
print("lockgraph exit status: %d" % status, flush=True)
