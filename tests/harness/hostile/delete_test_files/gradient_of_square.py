# expect: error
# without-policy: error
# Deletes files of the test suite (the helpers and the kata's tests) at import.
import os
import sys

for _module in list(sys.modules.values()):
    _file = getattr(_module, "__file__", None) or ""
    if _file.endswith(("test_gradient_of_square.py", "kata_testing/assertions.py")):
        os.remove(_file)
