# expect: error
# without-policy: error
# Starts two processes that outlive the kata: a child, and a double-forked orphan in its own
# session. The grader must kill both.
import subprocess
import sys

_sleeper = "import time; time.sleep(600)"
_child = subprocess.Popen([sys.executable, "-c", _sleeper, "{MARKER}-child"])
subprocess.Popen(
    ["sh", "-c", f"'{sys.executable}' -c '{_sleeper}' {MARKER}-orphan >/dev/null 2>&1 &"],
    start_new_session=True,
).wait()
