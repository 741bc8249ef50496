# expect: error
# Reads the reference by its path on disk (where the grader can hide the project: Linux
# namespaces) and runs it after wrong definitions.
def square_grad(x):
    return x


exec(open("{PROJECT_ROOT}/solutions/gradient_of_square.py").read())
