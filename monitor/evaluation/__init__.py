"""Scoring against hand labels: the cleaner, the tags, the stories. Nothing else.

Each subject has its module, runnable with `python -m` (see docs/evaluation.md); what they
share, reading the labelled data and the metrics, is in `loaders` and `metrics`. This
package sits above the whole runtime and nothing in the runtime imports it
(tests/test_import_graph.py checks), so scoring code never ships into the daemon's path.
"""
