"""The one settings object of a grading run: every limit, resolved once (as pytest-timeout's
`Settings`). Adding a limit means a field here, its use where it is enforced, and (if
instructors may change it) an option in grading/cli.py."""

from __future__ import annotations

from dataclasses import dataclass

ISOLATIONS = ("auto", "bwrap", "namespaces", "process-group")
MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    timeout: float = 180.0  # seconds per kata
    startup: float = 180.0  # seconds from start until the first kata starts (TF import, collection)
    between: float = 60.0  # seconds from one kata's end to the next one's start (or the run's end)
    memory_mb: int = 4096  # address space of each test process (0: no cap)
    max_output_mb: float = 8.0  # what a run may print (stdout + stderr)
    max_file_mb: int = 512  # the largest file a run may write (0: no cap)
    channel_mb: float = 32.0  # what a run may write on the report channel
    # the sandbox: "auto" prefers bubblewrap, then Linux namespaces, then process groups;
    # namespaces=False (kata grade --no-namespaces) means process groups only
    namespaces: bool = True
    isolation: str = "auto"
    # modules kata files may import beyond tfkata.policy's list (kata grade --allow-import)
    extra_imports: tuple[str, ...] = ()
    # the kata-file policy (tfkata.policy) before any kata runs; False only to test the
    # defences behind it (tests/harness/test_grading_hostile.py)
    kata_policy: bool = True
    # memory-budget mode (kata grade --memory-budget-mb): a fresh test process for every kata,
    # so no process holds more than TensorFlow and one kata's models
    kata_per_child: bool = False

    def __post_init__(self) -> None:
        if self.isolation not in ISOLATIONS:
            raise ValueError(f"isolation must be one of {', '.join(ISOLATIONS)}")

    @property
    def memory_bytes(self) -> int:
        return self.memory_mb * MB if self.memory_mb else 0

    @property
    def file_bytes(self) -> int:
        return self.max_file_mb * MB if self.max_file_mb else 0

    @property
    def output_bytes(self) -> float:
        return self.max_output_mb * MB

    @property
    def channel_bytes(self) -> float:
        return self.channel_mb * MB

    @property
    def isolations(self) -> tuple[str, ...]:
        """The sandboxes to try, best first."""
        if not self.namespaces or self.isolation == "process-group":
            return ("process-group",)
        if self.isolation == "namespaces":
            return ("namespaces", "process-group")
        return ("bwrap", "namespaces", "process-group")


Settings = Limits  # the name the reshaped package uses; Limits stays for existing callers
