"""Stubs are generated from the references: same API and docs, no solution."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tfkata.manifest import load_manifest
from tfkata.stubgen import make_stub, stub_for

ROOT = Path(__file__).resolve().parents[2]

SOURCE = '''"""Module doc."""

import math

SCALE = 2


def _helper(x):
    return x * SCALE


@staticmethod_like
def area(r, *, exact=False):
    """Area of a circle."""
    return math.pi * r * r


class Shape(Base):
    """A shape."""

    sides: int = 0

    def __init__(self, n):
        self.n = _helper(n)

    def _private(self):
        return 1

    def perimeter(self):
        return self.n
'''


def test_stub_keeps_api_and_docs_and_drops_bodies_and_private_helpers():
    stub = make_stub(SOURCE, "shapes")
    tree = ast.parse(stub)
    assert ast.get_docstring(tree) == "Module doc."
    assert "import math" in stub and "SCALE = 2" in stub and "@staticmethod_like" in stub
    assert "_helper" not in stub and "_private" not in stub and "math.pi" not in stub
    assert "def area(r, *, exact=False):" in stub and '"""Area of a circle."""' in stub
    assert "sides: int = 0" in stub and "class Shape(Base):" in stub
    assert stub.count("raise NotImplementedError") == 3  # area, __init__, perimeter
    assert "`kata hint shapes`" in stub


@pytest.mark.parametrize("name", load_manifest(ROOT).names())
def test_committed_stubs_are_the_generated_ones(name):
    reference, stub = ROOT / "solutions" / f"{name}.py", ROOT / "katas" / f"{name}.py"
    if not reference.is_file():
        pytest.skip(f"{name}: no reference yet")
    assert stub.read_text() == stub_for(reference), f"`kata stubs --write {name}`"
