#!/usr/bin/env python3
"""Checks of the tree that no compiler makes (run by .ci/run; exit 1 with the problems).

- every path README.md and docs/*.md name (src/..., tests/..., examples/..., benches/...,
  bench/..., docs/..., fuzz/..., .ci/...) exists, and every `--example NAME` they run has
  its examples/NAME.rs;
- no source file has more than 400 lines outside its tests (a `tests.rs` file, or the
  `#[cfg(test)] mod tests { .. }` block at its end);
- one module style in src/: `mod.rs` in folders, never `name.rs` beside a `name/` folder,
  and no `#[path]` attributes (unit tests are a `tests` child module, inline or `tests.rs`);
- no import cycles between the crate's modules (`crate::` paths outside tests, at the depth
  of the layout: `api::reports`, `engine::pipeline`, `decode::status`, `client`, ...).
"""

import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAX_LINES = 400
problems = []


def rel(path):
    return os.path.relpath(path, ROOT)


def rust_files(top):
    for folder, _dirs, files in os.walk(os.path.join(ROOT, top)):
        for name in files:
            if name.endswith(".rs"):
                yield os.path.join(folder, name)


def code_lines(text):
    """The lines of a file before its inline test module."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("#[cfg(test)]") and i + 1 < len(lines):
            if re.match(r"^mod tests \{", lines[i + 1]):
                return lines[:i]
    return lines


# Paths named in the docs.
PATH = re.compile(r"(?<![\w./-])((?:src|tests|examples|benches|bench|docs|fuzz|\.ci)/[\w./-]*[\w/])")
EXAMPLE = re.compile(r"--example\s+([\w-]+)")
docs = [os.path.join(ROOT, "README.md")] + [
    os.path.join(ROOT, "docs", name)
    for name in sorted(os.listdir(os.path.join(ROOT, "docs")))
    if name.endswith(".md")
]
for doc in docs:
    with open(doc, encoding="utf-8") as f:
        text = f.read()
    for match in PATH.finditer(text):
        path = match.group(1).rstrip(".")
        if "*" in path or "<" in path or path.startswith(("fuzz/artifacts", "fuzz/corpus")):
            continue  # a pattern, or what a fuzz run creates
        if not os.path.exists(os.path.join(ROOT, path)):
            problems.append(f"{rel(doc)} names {path}, which does not exist")
    for match in EXAMPLE.finditer(text):
        name = match.group(1)
        if not (
            os.path.exists(os.path.join(ROOT, "examples", name + ".rs"))
            or os.path.exists(os.path.join(ROOT, "examples", name, "main.rs"))
        ):
            problems.append(f"{rel(doc)} runs --example {name}, but there is no such example")

# File sizes and module style.
for path in list(rust_files("src")) + list(rust_files("examples")) + list(rust_files("benches")):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if os.path.basename(path) != "tests.rs":
        n = len(code_lines(text))
        if n > MAX_LINES:
            problems.append(f"{rel(path)} has {n} lines outside its tests (at most {MAX_LINES})")
    in_src = path.startswith(os.path.join(ROOT, "src"))
    if in_src and re.search(r"^\s*#\[path\s*=", text, re.M):
        problems.append(f"{rel(path)} uses a #[path] attribute")
    if in_src and os.path.basename(path) != "mod.rs":
        folder = path[: -len(".rs")]
        if os.path.isdir(folder):
            problems.append(f"{rel(path)} sits beside the folder {rel(folder)}: use {rel(folder)}/mod.rs")

# Import cycles between modules.
SRC = os.path.join(ROOT, "src")
SPLIT = {"api", "engine", "decode"}  # folders whose submodules are layers of their own


def unit_of(parts):
    """The module a `crate::a::b::..` path (or a file under src/) belongs to."""
    if not parts:
        return None
    if parts[0] in SPLIT and len(parts) > 1:
        return f"{parts[0]}::{parts[1]}"
    return parts[0]


def is_module(unit):
    """Whether `unit` is a module of its own (a file or a folder under src/)."""
    path = os.path.join(SRC, *unit.split("::"))
    return os.path.isdir(path) or os.path.exists(path + ".rs")


graph = {}
for path in rust_files("src"):
    if os.path.basename(path) == "tests.rs":
        continue
    parts = os.path.relpath(path, SRC)[: -len(".rs")].split(os.sep)
    if parts[-1] == "mod":
        parts = parts[:-1]
    if parts in ([], ["lib"]):
        continue
    unit = unit_of(parts)
    with open(path, encoding="utf-8") as f:
        lines = code_lines(f.read())
    code = "\n".join(l for l in lines if not l.lstrip().startswith("//"))
    for match in re.finditer(r"crate::((?:[a-z_][a-z0-9_]*::)*[a-z_][a-z0-9_]*)", code):
        target = unit_of(match.group(1).split("::"))
        if target and target != unit and is_module(target):
            graph.setdefault(unit, set()).add(target)

state = {}


def visit(node, stack):
    state[node] = "open"
    stack.append(node)
    for nxt in sorted(graph.get(node, ())):
        if state.get(nxt) == "open":
            cycle = stack[stack.index(nxt):] + [nxt]
            problems.append("import cycle: " + " -> ".join(cycle))
        elif nxt not in state:
            visit(nxt, stack)
    stack.pop()
    state[node] = "done"


for node in sorted(graph):
    if node not in state:
        visit(node, [])

if problems:
    print("check-tree found problems:")
    for problem in problems:
        print("  " + problem)
    sys.exit(1)
print(f"check-tree: {len(docs)} docs, layout and module graph ({len(graph)} modules) are fine")
