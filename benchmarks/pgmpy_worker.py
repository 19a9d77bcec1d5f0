"""Exact inference with pgmpy on the network that `harness.network_spec` describes.

Runs inside benchmarks/.venv-pgmpy (pgmpy needs numpy 2, spinecheck pins numpy 1), so it
imports nothing from spinecheck. Usage:

    benchmarks/.venv-pgmpy/bin/python benchmarks/pgmpy_worker.py INPUT.json OUTPUT.json

INPUT holds {"network": <network_spec>, "queries": [{finding: "present" | "absent", choice: option}, ...]}.
OUTPUT gets each query's posterior (in the network's condition order) and its latency in
nanoseconds, with the versions used.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import time
import warnings
from pathlib import Path
from typing import Any


def build_network(spec: dict[str, Any]) -> Any:
    from pgmpy.factors.discrete import TabularCPD
    from pgmpy.models import DiscreteBayesianNetwork

    parent = spec["condition_node"]
    conditions = spec["conditions"]
    states = spec["states"]
    choices = spec.get("choices", {})
    shares = spec.get("shares", {})
    edges = [(parent, node) for node in [*spec["cpds"], *choices, *shares]]
    edges += [(share["parent"], node) for node, share in shares.items()]
    network = DiscreteBayesianNetwork(edges)
    network.add_node(parent)
    cpds = [TabularCPD(parent, len(conditions), [[p] for p in spec["prior"]], state_names={parent: conditions})]
    for finding, table in spec["cpds"].items():
        cpds.append(TabularCPD(
            finding, len(states), table, evidence=[parent], evidence_card=[len(conditions)],
            state_names={finding: states, parent: conditions},
        ))
    for finding, share in shares.items():  # a share of one general finding: that finding is a parent too
        general = share["parent"]
        cpds.append(TabularCPD(
            finding, len(states), share["table"], evidence=[general, parent],
            evidence_card=[len(states), len(conditions)],
            state_names={finding: states, general: states, parent: conditions},
        ))
    for choice, node in choices.items():  # one node per choice question, a state per option
        cpds.append(TabularCPD(
            choice, len(node["states"]), node["table"], evidence=[parent], evidence_card=[len(conditions)],
            state_names={choice: node["states"], parent: conditions},
        ))
    network.add_cpds(*cpds)
    network.check_model()
    return network


def main(source: Path, target: Path) -> None:
    warnings.simplefilter("ignore")
    import numpy as np
    import pgmpy
    from pgmpy.inference import VariableElimination

    data = json.loads(source.read_text(encoding="utf-8"))
    spec = data["network"]
    parent = spec["condition_node"]
    engine = VariableElimination(build_network(spec))
    queries: list[dict[str, str]] = data["queries"]
    engine.query([parent], evidence=queries[0], show_progress=False)  # warm-up

    posteriors: list[list[float]] = []
    latencies: list[int] = []
    for evidence in queries:
        start = time.perf_counter_ns()
        factor = engine.query([parent], evidence=evidence, show_progress=False)
        latencies.append(time.perf_counter_ns() - start)
        order = factor.state_names[parent]
        values = dict(zip(order, factor.values.tolist(), strict=True))
        posteriors.append([values[condition] for condition in spec["conditions"]])

    target.write_text(json.dumps({
        "pgmpy": pgmpy.__version__,
        "numpy": np.__version__,
        "torch_installed": importlib.util.find_spec("torch") is not None,
        "latencies_ns": latencies,
        "posteriors": posteriors,
    }), encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: pgmpy_worker.py INPUT.json OUTPUT.json")
    main(Path(sys.argv[1]), Path(sys.argv[2]))
