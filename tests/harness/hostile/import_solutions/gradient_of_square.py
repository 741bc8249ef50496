# expect: error
# Borrows the reference: import solutions.
import solutions.gradient_of_square as _reference

square_grad = _reference.square_grad
