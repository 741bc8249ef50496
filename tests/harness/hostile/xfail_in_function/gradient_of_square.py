# expect: error
# without-policy: error
# pytest.xfail() in a kata function: "xfailed" is not a pass (the suite has no xfail marker).
import pytest


def square_grad(x):
    pytest.xfail("these tests are expected to fail")
