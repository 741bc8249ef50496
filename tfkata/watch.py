"""`kata watch`: re-check on every save, move on when a kata passes.

File events come from watchdog (inotify on Linux); `--manual` replaces them with Enter presses
for file systems where events are unreliable (network shares, some containers). Only saves of
`katas/NAME.py` for a kata in the manifest count: editors' swap, backup and temporary files
(`.NAME.py.swp`, `NAME.py~`, `4913`, `.#NAME.py`, ...) are ignored, and a burst of events from
one save is handled as one. `kata watch` hands in a `check` that runs the tests through a
tfkata.runner.PrestartedRunner: a fresh child per check, whose TensorFlow import happened while
the learner was editing."""

from __future__ import annotations

import queue
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from tfkata.display import paint
from tfkata.errors import KataError
from tfkata.progress import next_unfinished

DEBOUNCE_S = 0.3
KEYS = "Enter: re-check · h: hint · n: next kata · l: list · q: quit"


def kata_of_path(path: str, katas_dir: Path, names: set[str]) -> str | None:
    """The kata a saved file belongs to, or None for anything else (swap files included)."""
    p = Path(path)
    if p.parent.resolve() != katas_dir.resolve() or p.suffix != ".py":
        return None
    return p.stem if p.stem in names else None


def _start_observer(katas_dir: Path, names: set[str], events: queue.Queue):
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event):
            if event.is_directory or event.event_type not in (
                "modified",
                "created",
                "moved",
                "closed",
            ):
                return
            path = getattr(event, "dest_path", "") or event.src_path
            name = kata_of_path(path, katas_dir, names)
            if name:
                events.put(("saved", name))

    observer = Observer()
    observer.schedule(Handler(), str(katas_dir), recursive=False)
    observer.daemon = True
    observer.start()
    return observer


def _read_keys(events: queue.Queue) -> None:
    for line in sys.stdin:
        events.put(("key", line.strip().lower()))
    events.put(("key", "q"))


def _drain_saves(events: queue.Queue, first: str) -> tuple[str, list]:
    """Wait out the debounce window; returns the last saved kata and any keys seen meanwhile."""
    name, keys = first, []
    deadline = time.monotonic() + DEBOUNCE_S
    while (left := deadline - time.monotonic()) > 0:
        try:
            kind, value = events.get(timeout=left)
        except queue.Empty:
            break
        if kind == "saved":
            name = value
        else:
            keys.append((kind, value))
    return name, keys


def watch(ws, check: Callable[..., bool], manual: bool = False) -> int:
    names = set(ws.manifest.names())
    current = ws.current()
    if current is None:
        print(paint("Every kata is done.", "green"))
        return 0
    events: queue.Queue = queue.Queue()
    observer = None if manual else _start_observer(ws.katas_dir, names, events)
    threading.Thread(target=_read_keys, args=(events,), daemon=True).start()
    mode = "press Enter to re-check" if manual else f"watching {ws.label()}/ for saves"
    print(paint(f"kata watch: {mode}. {KEYS}", "dim"), flush=True)

    def run(name: str) -> str | None:
        """Check `name`; on success return the next kata (or None when all are done)."""
        ws.progress.current = name
        print(paint(f"\n── checking {name} ({time.strftime('%H:%M:%S')}) ──", "cyan"), flush=True)
        try:
            passed = check(ws, name, quiet_success=True)
        except KataError as exc:
            print(paint(f"✗ {exc}", "red"), flush=True)
            ws.progress.save()
            return name
        if not passed:
            print(
                paint(f"(waiting for the next save of {ws.label()}/{name}.py)", "dim"), flush=True
            )
            return name
        nxt = next_unfinished(ws.manifest, ws.progress, ws.katas_dir, after=name)
        if nxt is None:
            print(paint("Every kata is done. Congratulations!", "green"), flush=True)
            return None
        ws.progress.current = nxt
        ws.progress.save()
        kata = ws.manifest.get(nxt)
        print(
            paint(
                f"\n→ Next kata: {nxt} (chapter {kata.chapter}: {kata.title}). "
                f"Open {ws.label()}/{nxt}.py; it is checked each time you save it.",
                "bold",
            ),
            flush=True,
        )
        return nxt

    current = run(current)
    try:
        while current is not None:
            kind, value = events.get()
            if kind == "saved":
                name, keys = _drain_saves(events, value)
                for key in keys:
                    events.put(key)
                current = run(name)
            elif value in ("", "c", "check"):
                current = run(current)
            elif value in ("q", "quit", "exit"):
                break
            elif value in ("h", "hint"):
                hints = ws.manifest.get(current).hints
                shown = ws.progress.hints_shown.get(current, 0)
                if hints:
                    index = min(shown, len(hints) - 1)
                    print(
                        f"Hint {index + 1}/{len(hints)} for {current}: {hints[index]}", flush=True
                    )
                    ws.progress.hints_shown[current] = index + 1
                    ws.progress.save()
                else:
                    print(f"{current} has no hints.", flush=True)
            elif value in ("n", "next"):
                nxt = next_unfinished(ws.manifest, ws.progress, ws.katas_dir, after=current)
                if nxt:
                    current = nxt
                    ws.progress.current = nxt
                    ws.progress.save()
                    print(f"Current kata: {nxt}. Open {ws.label()}/{nxt}.py.", flush=True)
            elif value in ("l", "list"):
                for kata in ws.manifest.katas:
                    mark = "→" if kata.name == current else " "
                    print(f" {mark} {kata.name:<22} {ws.status(kata.name)}")
            else:
                print(paint(KEYS, "dim"), flush=True)
    finally:
        if observer is not None:
            observer.stop()
    ws.progress.save()
    return 0
