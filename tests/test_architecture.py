"""The shape of the code (STYLE.md): no import cycles, and modules depend on the platform, not on each other."""

import os
import shutil
import subprocess
import sys

import grimp

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def strongly_connected_components(edges):
    """Tarjan's algorithm, without recursion: the groups of nodes that reach each other, biggest first.

    :param edges: ``{node: set of the nodes it points to}``.
    :return: a list of sorted lists, one per group of more than one node.
    """
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, targets = work[-1]
            target = next(targets, None)
            if target is not None:
                if target not in index:
                    index[target] = low[target] = counter
                    counter += 1
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(edges.get(target, ())))))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return sorted(found, key=lambda group: (-len(group), group))


def test_strongly_connected_components():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": {"e"}, "e": {"d"}, "f": {"a"}}
    assert strongly_connected_components(edges) == [["a", "b", "c"], ["d", "e"]]
    assert strongly_connected_components({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles():
    """Every module-level import cycle in ``app`` is listed, with the imports that close it."""
    graph = grimp.build_graph("app", exclude_type_checking_imports=True, cache_dir=None)
    edges = {module: graph.find_modules_directly_imported_by(module) for module in graph.modules}
    cycles = strongly_connected_components(edges)
    report = []
    for group in cycles:
        report.append(f"{len(group)} modules: {', '.join(group)}")
        for importer in group:
            for imported in sorted(edges[importer] & set(group)):
                lines = sorted(d["line_number"] for d in graph.get_import_details(importer=importer, imported=imported))
                report.append(f"    {importer} -> {imported} (l. {', '.join(map(str, lines))})")
    assert not cycles, "Import cycles in app:\n" + "\n".join(report)


def test_import_contracts():
    """The contracts of ``[tool.importlinter]`` in pyproject.toml hold (``lint-imports``)."""
    command = shutil.which("lint-imports", path=os.path.dirname(sys.executable)) or shutil.which("lint-imports")
    assert command, "lint-imports is missing: pip install -r requirements.txt"
    result = subprocess.run([command, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
