# expect: error
# A syntax error: the file cannot even be compiled.
def square_grad(x)
    return 2 * x
