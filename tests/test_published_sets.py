"""The list of published case sets (data/vignettes/external/sets.yaml) names every file of the folder once.

The accuracy and reading tests and the reader's score script take their sets from that one list, so a
draw left off it would silently drop out of every figure; the loader refuses such a list.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from spinecheck.services.evaluation import VignetteError, read_published_sets

EXTERNAL = Path(__file__).resolve().parents[1] / "data" / "vignettes" / "external"


def _folder(tmp_path: Path, manifest: str, files: tuple[str, ...]) -> Path:
    (tmp_path / "sets.yaml").write_text(manifest, encoding="utf-8")
    for name in files:
        (tmp_path / f"{name}.jsonl").write_text("{}\n", encoding="utf-8")
    return tmp_path


def test_the_projects_list_names_every_published_file_with_the_seventh_draw_held_out() -> None:
    sets = read_published_sets(EXTERNAL)
    assert sorted(sets.every) == sorted(path.stem for path in EXTERNAL.glob("*.jsonl"))
    assert sets.held_out == ("exam_seventh", "reports_seventh")
    assert sets.development[:2] == ("exam", "reports")


def test_the_sets_keep_the_order_of_the_list(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "development: [b, a]\nheld_out: [c]\n", ("a", "b", "c"))
    sets = read_published_sets(folder)
    assert sets.development == ("b", "a")
    assert sets.every == ("b", "a", "c")


def test_a_file_the_list_leaves_out_is_refused(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "development: [a]\n", ("a", "forgotten"))
    with pytest.raises(VignetteError, match="not listed: forgotten"):
        read_published_sets(folder)


def test_a_listed_set_without_its_file_is_refused(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "development: [a, ghost]\n", ("a",))
    with pytest.raises(VignetteError, match="no file for ghost"):
        read_published_sets(folder)


def test_a_set_listed_twice_is_refused(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "development: [a]\nheld_out: [a]\n", ("a",))
    with pytest.raises(VignetteError, match="listed more than once: a"):
        read_published_sets(folder)


def test_a_list_without_development_sets_is_refused(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "held_out: [a]\n", ("a",))
    with pytest.raises(VignetteError, match="development"):
        read_published_sets(folder)


def test_a_missing_list_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(VignetteError, match="no such list of published sets"):
        read_published_sets(tmp_path)
