# expect: fail
# Skips every test of square_grad from kata code, through nothing the policy refuses:
# tf.test.TestCase().skipTest raises unittest.SkipTest, which pytest counts as a skip.
import tensorflow as tf


def square_grad(x):
    tf.test.TestCase().skipTest("not today")
