"""Where the text cleaner's instructions go: each step counted apart, on the aeb dumps.

    .venv/bin/python bench/clean_phases.py [--aeb FOLDER]     (needs valgrind; minutes)

Runs itself under valgrind's callgrind. Each step is run over every dump once to warm
up, then callgrind's counts are zeroed, the step runs over every dump again, and the
counts are dumped: M instructions a dump (averaged over all 181 dumps, also for the
steps only pages of 20 lines or more reach). Steps that change the lines they are given
(the rules) are counted as a prefix of the cleaner (label_lines, then label_lines and
the page rules after the model, ...), and the step is the difference between two
prefixes; the others run alone on inputs computed beforehand. bench_clean.py
--instructions gives the whole; this says which part of it to work on (issue 16).
"""

from __future__ import annotations

import argparse
import gc
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from callgrind import control
from pages import REPO


def counted_steps(folder: Path, names_file: Path) -> None:
    """Under callgrind: every step warmed, then counted apart (one dump a step)."""
    import numpy as np

    from monitor.extract import clean
    from monitor.extract.fold_codes import fold_joined
    from monitor.extract.line_arrays import line_arrays
    from monitor.extract.line_model import line_features
    from monitor.extract.lines import CONTAINS_MAX_WORDS, main_script, measure_page
    from monitor.extract.rule_candidates import structural_candidates
    from monitor.text.mojibake import repair

    docs = [repair(p.read_text(encoding="utf-8")) for p in sorted((folder / "text").glob("*.txt"))]
    cleaner = clean.default_cleaner()
    model = cleaner._model
    assert model is not None
    names = []

    def step(name: str, run: object, inputs: object) -> None:
        for item in inputs:  # type: ignore[attr-defined]
            run(item)  # type: ignore[operator]
        control("-z")
        for item in inputs:  # type: ignore[attr-defined]
            run(item)  # type: ignore[operator]
        control("-d")
        names.append(name)

    every = range(len(docs))
    scripts = [main_script(d) for d in docs]
    head = cleaner._head_chars
    measured = [measure_page(docs[i], scripts[i], head) for i in every]
    pages = [i for i in every if len(measured[i][0]) >= clean.MODEL_MIN_LINES]
    arrays = {i: line_arrays(*measured[i]) for i in pages}
    x1s = {i: line_features(measured[i][0], arrays[i]) for i in pages}
    cols = {i: measured[i][1] for i in every if measured[i][1] is not None}
    labelled = [cleaner.label_lines(d) for d in docs]
    # The inputs above stay alive through every step: frozen, the garbage collector
    # does not walk them, so a step's count holds only its own objects' collections.
    gc.freeze()

    def folding(i: int) -> None:
        c = cols[i]
        fold_joined(c.codes, c.starts, c.chars, c.words > CONTAINS_MAX_WORDS, head)

    def language(i: int) -> None:
        sample = (cols[i].folded if i in cols else "")[: clean._LANGUAGE_CHARS]
        cleaner._language(sample, scripts[i])

    def after_model(doc: str) -> clean.LabelledPage | None:
        page = cleaner.label_lines(doc)
        if page is not None and page.model is not None:
            cleaner.page_rules_after_model(page, page.model[2])
        return page

    def applied(doc: str) -> None:
        page = after_model(doc)
        if page is not None and page.model is not None:
            labels = [x.label for x in page.lines]
            whys = [x.why for x in page.lines]
            cleaner._apply_model(page, labels, whys, *page.model)

    def reasons(i: int) -> None:
        page = labelled[i]
        if page is not None and page.model is not None:
            x1, second, keep = page.model
            model.reasons_for(x1, second, np.flatnonzero(~keep).tolist())

    step("clean_text (the whole)", cleaner.clean, docs)
    step("main_script", main_script, docs)
    step("measure_page", lambda i: measure_page(docs[i], scripts[i], head), every)
    step("  of which folding the heads", folding, list(cols))
    step("line_arrays", lambda i: line_arrays(*measured[i]), pages)
    step("language guess", language, pages)
    step("line_features", lambda i: line_features(measured[i][0], arrays[i]), pages)
    step("the model's two passes", lambda i: model.body_probabilities(x1s[i]), pages)
    step("structural_candidates", lambda i: structural_candidates(arrays[i], cleaner._v), pages)
    step("prefix: label_lines", cleaner.label_lines, docs)
    step("prefix: + page rules after the model", after_model, docs)
    step("prefix: + labels and apply_model", applied, docs)
    step("reasons of the removed lines", reasons, every)
    names_file.write_text("\n".join(names) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--aeb", type=Path, default=REPO.parent / "shared" / "corpora" / "aeb")
    parser.add_argument("--counted", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.counted is not None:
        counted_steps(args.aeb, args.counted)
        return
    n = len(list((args.aeb / "text").glob("*.txt")))
    if not n:
        raise SystemExit(f"{args.aeb} has no text/*.txt (give the aeb folder)")
    with tempfile.TemporaryDirectory() as tmp:
        out, names = Path(tmp) / "callgrind.out", Path(tmp) / "names"
        command = [
            "valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
            sys.executable, __file__, "--aeb", str(args.aeb), "--counted", str(names),
        ]  # fmt: skip
        try:
            subprocess.run(command, check=True, capture_output=True)
        except (OSError, subprocess.CalledProcessError) as exc:
            raise SystemExit(f"needs valgrind (apt-get install valgrind): {exc}") from exc
        counts = {}
        for k, name in enumerate(names.read_text(encoding="utf-8").splitlines(), start=1):
            dump = out.with_name(f"{out.name}.{k}").read_text(encoding="utf-8", errors="replace")
            total = next(int(x.split()[1]) for x in dump.splitlines() if x.startswith("summary:"))
            counts[name] = total / n / 1e6
    for name, value in counts.items():
        print(f"{value:6.2f} M  {name}")
    c = counts
    label = c["prefix: label_lines"]
    measured = sum(
        c[k]
        for k in (
            "main_script",
            "measure_page",
            "line_arrays",
            "language guess",
            "line_features",
            "the model's two passes",
        )
    )
    print(f"{label - measured:6.2f} M  = the hand rules (label_lines less the steps above it)")
    print(
        f"{c['prefix: + page rules after the model'] - label:6.2f} M  = page rules after the model"
    )
    applied = c["prefix: + labels and apply_model"] - c["prefix: + page rules after the model"]
    print(f"{applied:6.2f} M  = labels and apply_model (the reasons included)")
    print(
        f"{c['clean_text (the whole)'] - c['prefix: + labels and apply_model']:6.2f} M  "
        "= the body and the removed lines built, the metadata"
    )


if __name__ == "__main__":
    main()
