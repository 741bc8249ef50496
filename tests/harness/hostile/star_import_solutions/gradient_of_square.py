# expect: error
# Borrows the reference: from solutions.x import *.
from solutions.gradient_of_square import *  # noqa: F403
