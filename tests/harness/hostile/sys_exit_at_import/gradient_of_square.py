# expect: error
# without-policy: error
# sys.exit(0) at import: the test process must not end "successfully" with nothing run.
import sys

sys.exit(0)
