# expect: error
# without-policy: error
# os._exit(0) inside a kata function: the process vanishes mid-run with exit code 0.
import os


def linear_loss_grads(X, y, w, b):
    os._exit(0)
