"""What the engine benchmark measures with, kept free of timing and of pgmpy so it can be tested.

- `sample_evidence`: realistic single cases (draw a condition, answer a random 5 to 40 of the
  findings from that condition's likelihoods, at most one present option per choice question).
- `synthetic_states`: an (N, F) int8 matrix of 1 / 0 / -1 for the batch benchmark, drawn the
  same way but vectorised and chunked so a million rows stay cheap to build.
- `network_spec`: the knowledge base as an explicit Bayesian network (one `condition` node with
  the compiled priors, one binary child per finding with its likelihoods, one child per choice
  with a state per option), as plain JSON data that the pgmpy worker turns into a pgmpy model.
- `exact_posterior`: spinecheck's posterior before the uniform leak, which is what a plain
  Bayesian network computes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from spinecheck.core.inference import log_scores, normalise
from spinecheck.core.model import CompiledModel, Evidence

CONDITION_NODE = "condition"
ABSENT, PRESENT = "absent", "present"
Weights = Literal["prior", "uniform"]
# How many findings a case has answered: a guided interview asks up to 20 questions, and a
# choice question or a free-text description can settle several findings at once.
ANSWERS = (5, 40)


def condition_weights(model: CompiledModel, weights: Weights) -> npt.NDArray[np.float64]:
    """How often each condition is drawn: as common as its prior, or all equally often."""
    if weights == "prior":
        prior = np.exp(model.log_prior)
        share: npt.NDArray[np.float64] = prior / prior.sum()
        return share
    count = len(model.condition_ids)
    return np.full(count, 1.0 / count)


def sample_evidence(
    model: CompiledModel,
    rng: np.random.Generator,
    count: int,
    *,
    answers: tuple[int, int] = ANSWERS,
    with_age: bool = True,
    weights: Weights = "uniform",
) -> list[Evidence]:
    """`count` cases that look like real ones, each with a random number of answered findings."""
    draw = condition_weights(model, weights)
    findings = len(model.finding_ids)
    fewest, most = min(answers[0], findings), min(answers[1], findings)
    group_of = {
        finding: group for group, members in model.exclusive_groups.items() for finding in members
    }
    cases: list[Evidence] = []
    for _ in range(count):
        row = int(rng.choice(len(draw), p=draw))
        present_draw = rng.random(findings) < model.likelihood[row]
        asked = rng.permutation(findings)[: rng.integers(fewest, most + 1)]
        present: set[str] = set()
        absent: set[str] = set()
        chosen_groups: set[str] = set()
        for column in asked.tolist():
            finding = model.finding_ids[column]
            group = group_of.get(finding)
            if present_draw[column] and (group is None or group not in chosen_groups):
                present.add(finding)
                if group is not None:
                    chosen_groups.add(group)
            else:
                absent.add(finding)
        age = int(rng.integers(18, 91)) if with_age else None
        cases.append(Evidence(present=frozenset(present), absent=frozenset(absent), age=age))
    return cases


def synthetic_states(
    model: CompiledModel,
    rng: np.random.Generator,
    count: int,
    *,
    answers: tuple[int, int] = ANSWERS,
    weights: Weights = "prior",
    chunk: int = 100_000,
) -> npt.NDArray[np.int8]:
    """(count, F) int8 states of 1 / 0 / -1, each row drawn from one condition's likelihoods.

    Exclusive groups are not enforced: the batch benchmark measures throughput, and the engine
    scores such rows without complaint.
    """
    findings = len(model.finding_ids)
    states = np.empty((count, findings), dtype=np.int8)
    draw = condition_weights(model, weights)
    likelihood = model.likelihood.astype(np.float32)
    fewest, most = min(answers[0], findings), min(answers[1], findings)
    for start in range(0, count, chunk):
        stop = min(start + chunk, count)
        rows = rng.choice(len(draw), size=stop - start, p=draw)
        present = rng.random((stop - start, findings), dtype=np.float32) < likelihood[rows]
        # each row answers about `k` findings, k uniform in [fewest, most]
        share = rng.integers(fewest, most + 1, size=stop - start).astype(np.float32) / findings
        asked = rng.random((stop - start, findings), dtype=np.float32) < share[:, None]
        states[start:stop] = np.where(asked, np.where(present, 1, -1), 0).astype(np.int8)
    return states


def fires_modifier(model: CompiledModel, evidence: Evidence) -> bool:
    """Whether any prior modifier applies; a plain Bayesian network has no such terms."""
    return bool(model.modifier_truth(model.encode(evidence)).any())


def comparable_evidence(model: CompiledModel, rng: np.random.Generator, count: int) -> list[Evidence]:
    """Cases without age or sex on which no prior modifier fires, completed for exclusive groups.

    A choice is one node of the network, so its only evidence is the option chosen: "no" to some
    options of a choice with none chosen (which the engine counts option by option) is left out.
    """
    group_of = model.group_of
    cases: list[Evidence] = []
    while len(cases) < count:
        for evidence in sample_evidence(model, rng, count - len(cases), with_age=False):
            chosen = {group_of[finding] for finding in evidence.present if finding in group_of}
            dropped = {f for f in evidence.absent if f in group_of and group_of[f] not in chosen}
            evidence = evidence.model_copy(update={"absent": evidence.absent - dropped})
            if fires_modifier(model, evidence):
                continue
            checked = model.check_evidence(evidence)
            # a cluster's published ratio replaces its members' own answers: no network of
            # independent findings says that, so such cases are not comparable
            if not (model.cluster_outcomes(model.encode(checked)) >= 0).any():
                cases.append(checked)
    return cases


def exact_posterior(model: CompiledModel, evidence: Evidence) -> npt.NDArray[np.float64]:
    """spinecheck's posterior without the leak: what exact inference on the network gives."""
    return normalise(log_scores(model, evidence), 0.0)


def network_spec(model: CompiledModel) -> dict[str, Any]:
    """The knowledge base as a Bayesian network, in plain JSON-ready data.

    `cpds[finding]` is a (2, C) table in pgmpy's layout: row 0 is P(absent | condition), row 1
    P(present | condition), one column per condition, so each column sums to one. A choice (the
    findings of one exclusive group) is one node instead, `choices[group]`, with one state and one
    row per option (ADR 0013: a condition's options of a choice add up to one). A finding that is a
    share of one general finding (ADR 0014) has that finding as a second parent, `shares[finding]`:
    {"parent": general, "table": (2, 2C)}, columns for the general finding absent (the specific one
    then never present) and then present (P(specific | general, condition)), each over the conditions.
    """
    if CONDITION_NODE in model.finding_index or CONDITION_NODE in model.exclusive_groups:
        raise ValueError(f"a finding or a choice is called '{CONDITION_NODE}', the name of the parent node")
    states = condition_states(model)
    return {
        "condition_node": CONDITION_NODE,
        "conditions": list(states.names),
        "owners": states.owners.tolist(),
        "prior": states.prior.tolist(),
        "states": [ABSENT, PRESENT],
        "cpds": {
            finding: [(1.0 - states.likelihood[:, column]).tolist(), states.likelihood[:, column].tolist()]
            for column, finding in enumerate(model.finding_ids)
            if finding not in model.group_of and finding not in model.only_parent
        },
        "shares": {
            finding: {"parent": general, "table": _share_table(model, states, finding)}
            for finding, general in model.only_parent.items()
        },
        "choices": {
            group: {
                "states": list(members),
                "table": [states.likelihood[:, model.finding_index[option]].tolist() for option in members],
            }
            for group, members in model.exclusive_groups.items()
        },
    }


@dataclass(frozen=True)
class ConditionStates:
    """The states of the network's condition node: a condition, or each form of a condition that shows in
    distinct forms (ADR 0023), with its condition's position, its prior (times the form's share) and its rows."""

    names: tuple[str, ...]
    owners: npt.NDArray[np.intp]
    prior: npt.NDArray[np.float64]
    likelihood: npt.NDArray[np.float64]
    log_present_counted: npt.NDArray[np.float64]


def condition_states(model: CompiledModel) -> ConditionStates:
    """Each condition as one state, or as its forms (rows of the model's companion) where it has forms."""
    prior = np.exp(model.log_prior)
    prior = prior / prior.sum()
    forms = model.forms
    mixed = {} if forms is None else {int(column): group for group, column in enumerate(forms.columns.tolist())}
    names: list[str] = []
    owners: list[int] = []
    priors: list[float] = []
    likelihood: list[npt.NDArray[np.float64]] = []
    counted: list[npt.NDArray[np.float64]] = []
    for row, condition in enumerate(model.condition_ids):
        if row not in mixed or forms is None:
            names.append(condition)
            owners.append(row)
            priors.append(float(prior[row]))
            likelihood.append(model.likelihood[row])
            counted.append(model.log_present_counted[row])
            continue
        group = mixed[row]
        start = int(forms.starts[group])
        end = int(forms.starts[group + 1]) if group + 1 < len(forms.starts) else len(forms.form_rows)
        for place in range(start, end):
            form_row = int(forms.form_rows[place])
            names.append(forms.companion.condition_ids[form_row])
            owners.append(row)
            priors.append(float(prior[row] * np.exp(forms.log_shares[place])))
            likelihood.append(forms.companion.likelihood[form_row])
            counted.append(forms.companion.log_present_counted[form_row])
    return ConditionStates(tuple(names), np.array(owners, dtype=np.intp), np.array(priors), np.vstack(likelihood),
                           np.vstack(counted))


def merged_posteriors(
    spec: dict[str, Any], posteriors: npt.NDArray[np.float64], conditions: int
) -> npt.NDArray[np.float64]:
    """(N, conditions): the network's posteriors over its condition states, each condition's forms added up."""
    merged = np.zeros((posteriors.shape[0], conditions))
    np.add.at(merged.T, np.array(spec["owners"], dtype=np.intp), posteriors.T)
    return merged


def _share_table(model: CompiledModel, states: ConditionStates, finding: str) -> list[list[float]]:
    share = np.exp(states.log_present_counted[:, model.finding_index[finding]])
    absent_general, present_general = np.zeros_like(share), share
    return [[*(1.0 - absent_general).tolist(), *(1.0 - present_general).tolist()],
            [*absent_general.tolist(), *present_general.tolist()]]


def network_query(model: CompiledModel, evidence: Evidence) -> dict[str, str]:
    """One case as pgmpy evidence: finding id -> 'present' / 'absent', and choice -> the option chosen.

    Only the answers spinecheck counts go in (`CompiledModel.counted_answers`): a general finding that
    a finding implying several stands in for, or a specific one a "no" to its general one rules out, is
    one fact with it, and the network would count it twice. A share's general finding goes in with it.
    """
    group_of = model.group_of
    index, ids = model.finding_index, model.finding_ids
    present_columns, absent_columns = model.counted_answers(
        sorted(index[f] for f in evidence.present), sorted(index[f] for f in evidence.absent)
    )
    present = [ids[column] for column in present_columns]
    absent = [ids[column] for column in absent_columns]
    query = {finding: PRESENT for finding in present if finding not in group_of}
    query.update({finding: ABSENT for finding in absent if finding not in group_of})
    query.update({group_of[finding]: finding for finding in present if finding in group_of})
    return query
