"""The work done on one chunk of an intake file, here or on a Dask worker.

Arrow columns are coded (adapter), triaged (service) and turned back into Arrow result
columns (adapter). The function lives at module level so that a worker imports it by name;
importing this module plugs the text reader into the services (`wiring`), so a worker reads
narratives exactly as this process does. Each worker loads the knowledge base once and checks
that its content hash is the one this run started with: results never mix two bases.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

from spinecheck import __version__
from spinecheck.adapters.batch.columns import (
    code_chunk,
    floats,
    ids_as_text,
    lists_of,
    refused_batch,
    result_batch,
    strings_at,
)
from spinecheck.adapters.batch.pipeline import Chunk, ChunkResult
from spinecheck.core.model import CompiledModel
from spinecheck.interfaces import wiring  # noqa: F401  (plugs the text reader into the services)
from spinecheck.services.assessment import load_model
from spinecheck.services.batch import (
    LEVEL_NAMES,
    TOP_CONDITIONS,
    BatchInputError,
    ColumnPlan,
    IntakeRows,
    red_flag_order,
    triage_rows,
)
from spinecheck.services.narrative import parse_text


@dataclass(frozen=True)
class BatchJob:
    """Everything a worker needs besides the chunk: which knowledge base, the column plan, the output schema."""

    kb_root: Path | None
    kb_hash: str
    plan: ColumnPlan
    schema: pa.Schema
    texts: bool = False
    """Whether the file has descriptions to read (the text reader is then built before the first chunk)."""


def output_schema(model: CompiledModel, plan: ColumnPlan, id_type: pa.DataType | None) -> pa.Schema:
    """row, the input's id, triage, incomplete, call_ambulance, red_flags, then the top conditions."""
    fields = [pa.field("row", pa.int64(), nullable=False)]
    if plan.id_column is not None and id_type is not None:
        fields.append(pa.field(plan.id_column, id_type))
    fields += [
        pa.field("triage", pa.string(), nullable=False),
        pa.field("incomplete", pa.bool_(), nullable=False),
        pa.field("call_ambulance", pa.bool_(), nullable=False),
        pa.field("red_flags", pa.list_(pa.string()), nullable=False),
    ]
    for rank in range(1, min(TOP_CONDITIONS, len(model.condition_ids)) + 1):
        fields += [pa.field(f"condition_{rank}", pa.string()), pa.field(f"probability_{rank}", pa.float64())]
    return pa.schema(fields, metadata={
        "spinecheck_version": __version__,
        "kb_version": model.kb.version,
        "kb_hash": model.kb.content_hash,
        "disclaimer": model.kb.policy.disclaimer,
    })


def model_for(job: BatchJob) -> CompiledModel:
    """This process's copy of the knowledge base, refused if it is not the one the run started with."""
    model = load_model(job.kb_root)
    if model.kb.content_hash != job.kb_hash:
        raise BatchInputError(
            f"a worker has knowledge base {model.kb.content_hash[:12]}, not {job.kb_hash[:12]}: "
            "install the same spinecheck (and --kb folder) on every worker"
        )
    return model


def warm_up(job: BatchJob) -> None:
    """Load the model and, when the file has narratives, build the text reader, once per process."""
    model = model_for(job)
    if job.texts:
        parse_text("back pain", model)


def process_chunk(job: BatchJob, chunk: Chunk) -> ChunkResult:
    """Triage one chunk: result rows for the accepted records, a reason for each refused one."""
    rows, batch = chunk
    model = model_for(job)
    plan = job.plan
    coded = code_chunk(batch, plan.findings, plan.age, plan.sex, plan.narrative, plan.id_column)
    triaged = triage_rows(model, IntakeRows(
        count=coded.count, findings=coded.findings, age=coded.age, sex=coded.sex,
        narratives=coded.narratives, problems=coded.problems,
    ))
    accepted = triaged.accepted
    columns: dict[str, pa.Array] = {
        "row": pa.array(rows[accepted], type=pa.int64()),
        "triage": strings_at(LEVEL_NAMES, triaged.level),
        "incomplete": pa.array(triaged.incomplete, type=pa.bool_()),
        "call_ambulance": pa.array(triaged.call_ambulance, type=pa.bool_()),
        "red_flags": lists_of(red_flag_order(model), triaged.red_flags),
    }
    if plan.id_column is not None and coded.ids is not None:
        columns[plan.id_column] = coded.ids.filter(pa.array(accepted))
    for rank in range(triaged.top_conditions.shape[1]):
        columns[f"condition_{rank + 1}"] = strings_at(model.condition_ids, triaged.top_conditions[:, rank])
        columns[f"probability_{rank + 1}"] = floats(triaged.top_probabilities[:, rank])
    refused = ~accepted
    ids = ids_as_text(coded.ids.filter(pa.array(refused)) if coded.ids is not None else None, int(refused.sum()))
    counts = np.bincount(triaged.level, minlength=len(LEVEL_NAMES))
    tally = {name: int(count) for name, count in zip(LEVEL_NAMES, counts, strict=True) if count}
    tally["call_ambulance"] = int(triaged.call_ambulance.sum())
    tally["incomplete"] = int(triaged.incomplete.sum())
    return ChunkResult(
        output=result_batch(job.schema, columns),
        refused=refused_batch(rows[refused].tolist(), ids, triaged.reasons),
        tally=tally,
    )
