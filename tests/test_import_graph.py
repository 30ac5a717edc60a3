"""The import graph runs one way: nothing imports a layer above its own, and no runtime
module imports the evaluation package.

Read from the source with `ast` (function-level imports included: a lazy import is still
a dependency), so the check costs no import of the modules themselves.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "monitor"

# Lowest first. A module may import its own layer and those below, never one above.
# Data flow: sources -> decode -> extract -> dedup -> tag -> store -> alerts; the steps of
# that flow share a layer (each is called by the pipeline or the service, none calls
# another layer up), the pipeline strings them, the store reads what they made, the
# service and the commands put everything together, and evaluation scores it from outside.
LAYERS: dict[str, int] = {
    # 0: plain data and settings, and process plumbing with no monitor dependencies
    "monitor": 0,
    "monitor.models": 0,
    "monitor.config": 0,
    "monitor.configfile": 0,
    "monitor.config_errors": 0,
    "monitor.config_section": 0,
    "monitor.story_config": 0,
    "monitor.ops": 0,
    # SQLite plumbing that imports nothing of monitor's: the retry on a busy store and the
    # store's id, shared by the store and the alert outbox's own connection.
    "monitor.store.busy": 0,
    "monitor.store.identity": 0,
    # 1: text handling every step shares
    "monitor.text": 1,
    # 2: the steps, the sources that feed them and the alerts that follow them
    "monitor.sources": 2,
    "monitor.extract": 2,
    "monitor.tagging": 2,
    "monitor.minhash": 2,
    "monitor.dedup": 2,
    "monitor.stories": 2,
    "monitor.story_linkage": 2,
    "monitor.same_event": 2,
    "monitor.story_weights": 2,
    "monitor.story_model": 2,
    "monitor.story_batch": 2,
    "monitor.novelty": 2,
    "monitor.event_numbers": 2,
    "monitor.background": 2,
    "monitor.crosslingual": 2,
    "monitor.term_forms": 2,
    "monitor.text_dates": 2,
    "monitor.event_lexicon": 2,
    "monitor.revisions": 2,
    "monitor.alerts": 2,
    # 3: the ordered steps, and where they run
    "monitor.pipeline": 3,
    "monitor.workers": 3,
    # imported by the worker pool's forkserver to warm the extractor once
    "monitor.worker_preload": 3,
    "monitor.text_preload": 3,
    # 4: the store
    "monitor.store": 4,
    # 5: what wires the store to the steps, and what reads it: the service (the parts
    # built from the settings, the batches, the one writer of outcomes, the daemon loop)
    "monitor.service": 5,
    "monitor.assembly": 5,
    "monitor.batches": 5,
    "monitor.outcomes": 5,
    "monitor.grouped_commits": 5,
    "monitor.story_review": 5,
    "monitor.story_merge": 5,
    "monitor.daemon": 5,
    "monitor.retag": 5,
    "monitor.handoff": 5,
    "monitor.ui": 5,
    # 6: the commands
    "monitor.cli": 6,
    "monitor.__main__": 6,
    # 7: scoring, above everything, imported by nothing in the runtime
    "monitor.evaluation": 7,
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> int:
    """The layer of the longest listed prefix; a new top-level module must be placed."""
    for cut in range(module.count(".") + 1, 0, -1):
        prefix = ".".join(module.split(".")[:cut])
        if prefix in LAYERS:
            return LAYERS[prefix]
    raise AssertionError(f"{module} is in no layer: add it to LAYERS in {__file__}")


def imports(path: Path) -> set[str]:
    """The monitor modules a file imports (`from monitor import x` counts as monitor.x)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.split(".")[0] == "monitor"}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "monitor":
            out.add(node.module)
            if node.module == "monitor":
                out |= {f"monitor.{a.name}" for a in node.names}
    return out


def graph() -> dict[str, set[str]]:
    return {module_name(p): imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def test_the_graph_is_read() -> None:
    edges = graph()
    assert "monitor.pipeline" in edges["monitor.workers"]  # `from monitor import pipeline`
    assert "monitor.service" in edges["monitor.cli"]  # a function-level import counts
    assert len(edges) > 50


def test_no_runtime_module_imports_the_evaluation_package() -> None:
    offenders = {
        module: sorted(d for d in deps if d.startswith("monitor.evaluation"))
        for module, deps in graph().items()
        if not module.startswith("monitor.evaluation")
    }
    assert {m: d for m, d in offenders.items() if d} == {}


def test_nothing_imports_a_layer_above_its_own() -> None:
    upward = [
        f"{module} (layer {layer(module)}) imports {dep} (layer {layer(dep)})"
        for module, deps in graph().items()
        for dep in sorted(deps)
        if layer(dep) > layer(module)
    ]
    assert upward == []
