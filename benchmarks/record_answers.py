"""Record the API's answers to many varied requests, to show that a change leaves them byte for byte as they were.

Sends, in process (Starlette's test client), requests built from every vignette in
`data/vignettes/*.jsonl` and `data/vignettes/external/*.jsonl` to `POST /v1/assess` (the findings
map, the present / absent lists, the description, the description with findings), `POST /v1/parse`
(the description) and `POST /v1/interview` (a state made from the findings and the next two
replies, and a start from the description), plus requests the API refuses (unknown ids, bad JSON,
a body over the size limit, fields of the wrong type). Each answer is written as one JSON line:
the request, the status, the headers (sorted; `Server-Timing` left out, as it is a time) and the
body as text.

    .venv/bin/python benchmarks/record_answers.py record OUT.jsonl [--limit N]
    .venv/bin/python benchmarks/record_answers.py compare BEFORE.jsonl AFTER.jsonl

Run `record` with `PYTHONPATH=<other checkout>/src` to record another version's answers.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
VIGNETTES = sorted((ROOT / "data" / "vignettes").glob("*.jsonl")) + sorted(
    (ROOT / "data" / "vignettes" / "external").glob("*.jsonl")
)
IGNORED_HEADERS = {"server-timing"}

Call = tuple[str, str, Any]
"""(method, path, JSON body or raw bytes)."""


def vignettes(limit: int | None) -> list[dict[str, Any]]:
    cases = []
    for path in VIGNETTES:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                cases.append(json.loads(line))
    return cases[:limit] if limit else cases


def demographics(case: dict[str, Any]) -> dict[str, Any]:
    return {key: case[key] for key in ("age", "sex") if case.get(key) is not None}


def fixed_calls() -> list[Call]:
    """Requests the API refuses or answers without the engine's usual path."""
    return [
        ("POST", "/v1/assess", {"present": ["low_back_pain", "low_back_pan"]}),
        ("POST", "/v1/assess", {"present": ["low_back_pain"], "absent": ["low_back_pain"]}),
        ("POST", "/v1/assess", {"present": ["low_back_pain"], "age": False}),
        ("POST", "/v1/assess", {"present": ["low_back_pain"], "age": 131}),
        ("POST", "/v1/assess", {"present": ["low_back_pain"], "sex": "other"}),
        ("POST", "/v1/assess", {"present": ["low_back_pain"], "colour": "blue"}),
        ("POST", "/v1/assess", {"findings": {"fever": "yes"}}),
        ("POST", "/v1/assess", {}),
        ("POST", "/v1/assess", {"text": ""}),
        ("POST", "/v1/assess", {"text": "   "}),
        ("POST", "/v1/assess", {"text": "x" * 20_001}),
        ("POST", "/v1/assess", b'{"text": "\\ud800 pain"}'),
        ("POST", "/v1/assess", {"present": [""]}),
        ("POST", "/v1/assess", {"present": ["low_back_pain"] * 401}),
        ("POST", "/v1/assess", {"present": ["low_back_pain", "urinary_incontinence", "saddle_numbness"]}),
        ("POST", "/v1/assess", {"present": ["low_back_pain"], "text": "I have a fever. I don't have a fever."}),
        ("POST", "/v1/assess", b"{not json"),
        ("POST", "/v1/assess", b"[]"),
        ("POST", "/v1/assess", b"null"),
        ("POST", "/v1/assess", b""),
        ("POST", "/v1/assess", b'{"present": ["' + b"a" * 70_000 + b'"]}'),
        ("GET", "/v1/assess", None),
        ("POST", "/v1/nothing", {}),
        ("POST", "/v1/parse", {"text": ""}),
        ("POST", "/v1/parse", {"text": 3}),
        ("POST", "/v1/parse", {}),
        ("POST", "/v1/interview", {}),
        ("POST", "/v1/interview", {"state": {"answers": {"low_back_pan": "yes"}}}),
        ("POST", "/v1/interview", {"state": {"answers": {"low_back_pain": "maybe"}}}),
        ("POST", "/v1/interview", {"state": {}, "reply": {"question": "nothing", "answer": "yes"}}),
        ("GET", "/healthz", None),
        ("GET", "/v1/openapi.json", None),
    ]


def calls(cases: list[dict[str, Any]]) -> Iterator[Call]:
    yield from fixed_calls()
    for number, case in enumerate(cases):
        findings: dict[str, bool | None] = case.get("findings") or {}
        people = demographics(case)
        narrative: str = case.get("narrative") or ""
        if findings:
            yield "POST", "/v1/assess", {"findings": findings, **people}
            yield "POST", "/v1/assess", {
                "present": [f for f, value in findings.items() if value is True],
                "absent": [f for f, value in findings.items() if value is False],
            }
        if narrative:
            yield "POST", "/v1/assess", {"text": narrative}
            yield "POST", "/v1/parse", {"text": narrative}
            if number % 3 == 0:
                yield "POST", "/v1/assess", {"text": narrative, "findings": findings, **people}
            if number % 2 == 0:
                yield "POST", "/v1/interview", {"text": narrative, "state": {"answers": {}, **people}}


def interview_steps(client: Any, case: dict[str, Any], steps: int) -> Iterator[tuple[Call, Any]]:
    """An interview from the vignette's findings, then `steps` replies (the first option each time)."""
    answers = {f: ("yes" if value else "no") for f, value in (case.get("findings") or {}).items() if value is not None}
    body: dict[str, Any] = {"state": {"answers": answers, **demographics(case)}}
    for _ in range(steps + 1):
        response = client.post("/v1/interview", json=body)
        yield ("POST", "/v1/interview", body), response
        if response.status_code != 200:
            return
        answer = response.json()
        question = answer.get("question")
        if not question:
            return
        option = question["options"][0]["id"]
        reply: str | list[str] = [option] if question["kind"] == "checklist" else option
        body = {"state": answer["state"], "reply": {"question": question["id"], "answer": reply}}


def send(client: Any, call: Call) -> Any:
    method, path, body = call
    if isinstance(body, bytes):
        return client.request(method, path, content=body, headers={"Content-Type": "application/json"})
    if body is None:
        return client.request(method, path)
    return client.request(method, path, content=json.dumps(body).encode(), headers={"Content-Type": "application/json"})


def line(call: Call, response: Any) -> str:
    method, path, body = call
    shown = body.decode("utf-8", "replace")[:200] if isinstance(body, bytes) else body
    headers = sorted((name, value) for name, value in response.headers.items() if name not in IGNORED_HEADERS)
    return json.dumps({
        "request": [method, path, shown], "status": response.status_code, "headers": headers,
        "body": response.content.decode("utf-8", "replace"),
    }, ensure_ascii=False)


def record(out: Path, limit: int | None) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from fastapi.testclient import TestClient

    from spinecheck.interfaces.http.app import create_app

    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpx2").setLevel(logging.WARNING)
    cases = vignettes(limit)
    count = 0
    with TestClient(create_app(), raise_server_exceptions=False) as client, out.open("w", encoding="utf-8") as handle:
        for call in calls(cases):
            handle.write(line(call, send(client, call)) + "\n")
            count += 1
        for case in cases:
            for call, response in interview_steps(client, case, 2):
                handle.write(line(call, response) + "\n")
                count += 1
    print(f"{count} answers recorded in {out}")


def compare(before: Path, after: Path) -> int:
    old = before.read_text(encoding="utf-8").splitlines()
    new = after.read_text(encoding="utf-8").splitlines()
    differ = [i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b]
    statuses: dict[int, int] = {}
    for text in new:
        status = json.loads(text)["status"]
        statuses[status] = statuses.get(status, 0) + 1
    print(f"{len(old)} answers before, {len(new)} after; {len(differ)} differ; statuses after: {statuses}")
    for i in differ[:5]:
        print(f"line {i + 1}:\n  before {old[i][:600]}\n  after  {new[i][:600]}")
    return 0 if not differ and len(old) == len(new) else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    recording = commands.add_parser("record")
    recording.add_argument("out", type=Path)
    recording.add_argument("--limit", type=int, default=None, help="Only the first N vignettes.")
    comparing = commands.add_parser("compare")
    comparing.add_argument("before", type=Path)
    comparing.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "record":
        record(args.out, args.limit)
    else:
        sys.exit(compare(args.before, args.after))


if __name__ == "__main__":
    main()
