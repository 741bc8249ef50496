# expect: error
# Imports a module that does not exist.
import tensorflow_kata_helpers_that_do_not_exist  # noqa: F401
