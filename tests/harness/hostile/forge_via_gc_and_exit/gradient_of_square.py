# expect: error
# Finds the grading plugin's channel through gc, signs an all-passed report for this kata and
# the end of the run, then leaves at once with exit code 0. (With the kata-file policy off,
# the key is in this process and nothing in it can stop a forger who reaches it: the policy,
# which refuses gc and frames, is what stops this one.)
import gc
import os


def _forge():
    objects = gc.get_objects()
    emitter = next(o for o in objects if type(o).__name__ == "Emitter" and o.source == "pytest")
    grading = next(o for o in objects if type(o).__name__ == "_Grading")
    for nodeid, kata in grading.kata_of.items():
        if kata == "gradient_of_square":
            entry = {"nodeid": nodeid, "kata": kata, "test": nodeid.split("::")[-1], "doc": "",
                     "outcome": "passed", "reason": None, "cause": None, "when": "",
                     "message": "", "duration": 0.01}
            emitter.emit("test", kata=kata, entry=entry)
    emitter.emit("kata", kata="gradient_of_square", violations=[], vm_peak_mb=1, check_ms=1)
    emitter.emit("end", exitstatus=0)
    os._exit(0)


def square_grad(x):
    _forge()
