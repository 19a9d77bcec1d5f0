"""How long the interview takes to choose its next question, at several depths of an interview.

Run from the repository root:

    .venv/bin/python benchmarks/bench_interview.py            # the packaged knowledge base
    .venv/bin/python benchmarks/bench_interview.py --kb tests/fixtures/mini_kb

Simulated patients (a condition drawn by its prior, every finding drawn from its likelihoods)
answer the interview; their states after 0, 3, 6, ... answers are then timed one by one with
`plan_next`, which is everything an interface calls per question: the current triage
decision, the value of every open question in one batch, and the stopping rule. To reach
the deeper states the policy used to collect them never stops early. Figures go to stdout;
docs/benchmarks.md records them with the machine they came from.
"""

from __future__ import annotations

import argparse
import platform
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from spinecheck.core.interview import InterviewState, answer, interview_policy, plan_next
from spinecheck.core.model import CompiledModel
from spinecheck.services.assessment import load_model
from spinecheck.services.interview import patient_reply


def sample_patient(model: CompiledModel, rng: np.random.Generator) -> dict[str, bool | None]:
    """Every finding of one simulated patient: a condition drawn by its prior, findings by its likelihoods."""
    prior = np.exp(model.log_prior)
    row = int(rng.choice(len(prior), p=prior / prior.sum()))
    present = rng.random(len(model.finding_ids)) < model.likelihood[row]
    findings: dict[str, bool | None] = {f: bool(p) for f, p in zip(model.finding_ids, present, strict=True)}
    for members in model.exclusive_groups.values():
        chosen = [m for m in members if findings[m]]
        keep = chosen[int(rng.integers(len(chosen)))] if chosen else None
        findings.update({m: m == keep for m in members})
    return findings


def states_by_depth(
    model: CompiledModel, rng: np.random.Generator, patients: int, depths: Sequence[int]
) -> dict[int, list[InterviewState]]:
    """Interview states reached after exactly `depth` answers, collected from simulated patients."""
    deepest = max(depths)
    never_stop = interview_policy(model).model_copy(update={
        "max_questions": deepest + 1, "level_change_floor": 0.0, "leader_probability": 1.0,
        "min_information_gain": 0.0,
    })
    collected: dict[int, list[InterviewState]] = {depth: [] for depth in depths}
    for _ in range(patients):
        findings = sample_patient(model, rng)
        sex = "female" if rng.random() < 0.5 else "male"
        state = InterviewState(age=int(rng.integers(18, 91)), sex=sex)
        for depth in range(deepest + 1):
            if depth in collected:
                collected[depth].append(state)
            question = plan_next(model, state, never_stop).question
            if question is None:
                break
            state = answer(state, question, patient_reply(question, findings))
    return collected


def time_states(model: CompiledModel, states: list[InterviewState], repeats: int) -> list[float]:
    """Milliseconds per `plan_next` call, after one warm-up pass."""
    for state in states[:20]:
        plan_next(model, state)
    samples: list[float] = []
    for _ in range(repeats):
        for state in states:
            start = time.perf_counter_ns()
            plan_next(model, state)
            samples.append((time.perf_counter_ns() - start) / 1e6)
    return samples


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--kb", type=Path, default=None, help="knowledge-base folder (default: the packaged one)")
    parser.add_argument("--patients", type=int, default=200, help="simulated patients")
    parser.add_argument("--repeats", type=int, default=5, help="timed calls per state")
    parser.add_argument("--depths", type=int, nargs="+", default=[0, 3, 6, 9, 12, 15, 19])
    parser.add_argument("--seed", type=int, default=20240501)
    args = parser.parse_args(argv)

    model = load_model(args.kb)
    rng = np.random.default_rng(args.seed)
    collected = states_by_depth(model, rng, args.patients, args.depths)
    open_questions = len(model.finding_ids)
    print("# Interview: time to choose the next question (plan_next)")
    print(f"knowledge base {model.kb.version} · {model.kb.content_hash[:12]}: {len(model.condition_ids)} conditions, "
          f"{open_questions} findings, {len(model.kb.red_flags)} red-flag rules")
    print(f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}")
    print("\n| answers so far | states | median | p99 |")
    print("| ---: | ---: | ---: | ---: |")
    overall: list[float] = []
    for depth in args.depths:
        states = collected[depth]
        if not states:
            continue
        samples = time_states(model, states, args.repeats)
        overall += samples
        median, p99 = np.percentile(samples, 50), np.percentile(samples, 99)
        print(f"| {depth} | {len(states)} | {median:.2f} ms | {p99:.2f} ms |")
    print(f"| all | | {np.percentile(overall, 50):.2f} ms | {np.percentile(overall, 99):.2f} ms |")


if __name__ == "__main__":
    main()
