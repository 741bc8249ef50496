# expect: error
# without-policy: error
# Writes a forged "all tests passed" record on every pipe it can find, then leaves at once.
import json
import os

for _fd in os.listdir("/proc/self/fd"):
    try:
        if not os.readlink(f"/proc/self/fd/{_fd}").startswith("pipe:"):
            continue
        for _seq in range(3):
            _body = json.dumps({"type": "kata", "kata": "gradient_of_square", "tests": [],
                                "violations": [], "src": "pytest", "seq": _seq})
            os.write(int(_fd), (json.dumps({"body": _body, "mac": "0" * 64}) + "\n").encode())
    except OSError:
        pass
os._exit(0)
