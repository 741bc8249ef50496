# expect: error
# Reads a copy of the reference kept elsewhere on the machine (another checkout, a temp copy),
# through nothing the policy refuses: open(). The sandbox must not show it.
with open("{SOLUTIONS_COPY}/gradient_of_square.py") as _reference:
    _reference.read()
