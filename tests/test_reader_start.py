"""How the reader starts: its spaCy pipeline, the modules it leaves unloaded, and the work it keeps between runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

from spinecheck.adapters.nlp.build_cache import KEPT_PER_KIND, BuildCache, cache_folder
from spinecheck.adapters.nlp.clinical import clinical_pipeline
from spinecheck.adapters.nlp.spelling import EnglishWords

ROOT = Path(__file__).resolve().parents[1]

TRICKY = [
    "Pt c/o LBP x3/7, 38.5C, SLR +ve @ 40deg; can't pee.",
    "Mrs. Smith's back-pain started e.g. after lifting 20kg (approx.) on 01/02/2024.",
    "CRP 120mg/L, WCC 15.2x10^9/L, HR>100bpm, BP 90/60mmHg!!",
    "I don't know... my L5/S1 disc?? she's 45yo & he'd had TB",
]


def test_the_clinical_pipeline_tokenizes_exactly_as_medspacys_own_loader_does() -> None:
    import medspacy

    theirs = medspacy.load(medspacy_enable=["medspacy_tokenizer"], load_rules=False)
    ours = clinical_pipeline()
    for text in TRICKY:
        assert [t.text for t in ours(text)] == [t.text for t in theirs(text)], text


def _run(code: str, **environment: str) -> str:
    result = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", code], capture_output=True, text=True, check=True,
        env={**os.environ, **environment}, cwd=ROOT,
    )
    return result.stdout.strip()


def test_building_the_reader_leaves_nltk_unloaded_until_something_uses_it() -> None:
    out = _run(
        "import sys; sys.path.insert(0, 'tests')\n"
        "from nlp_support import shipped_parser\n"
        "shipped_parser().parse('my back hurts')\n"
        "print('nltk.corpus' in sys.modules)\n"
        "import quickumls.core\n"
        "print(type(quickumls.core.nltk.corpus.stopwords).__name__)\n"
        "import nltk\n"
        "print('nltk.corpus' in sys.modules, type(sys.modules['nltk']).__name__, bool(nltk.__version__))\n"
    )
    assert out.splitlines() == ["False", "LazyCorpusLoader", "True module True"]


def test_the_english_word_list_is_loaded_the_first_time_it_is_asked() -> None:
    words = EnglishWords()
    assert words._frequencies is None
    assert "house" in words and "numbess" not in words
    assert words._frequencies is not None


class CountingWords:
    """An English word list that notes each word it is asked about."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def __contains__(self, word: object) -> bool:
        self.asked.append(str(word))
        return word in {"spoiling"}


def test_the_reader_asks_the_word_list_only_about_a_word_with_a_slip_to_mend() -> None:
    from nlp_support import shipped_findings
    from spinecheck.adapters.nlp import NarrativeParser, lexicon_path, load_lexicon

    words = CountingWords()
    reader = NarrativeParser(shipped_findings(), load_lexicon(lexicon_path()), english=words)
    reader.parse("My department manager says the schizophrenia clinic is helpful.")
    assert words.asked == []
    result = reader.parse("My legs are tinglng and it's spoiling my sleep")
    assert words.asked == ["tinglng", "spoiling"]
    assert "leg_numbness_tingling" in result.present_ids and "bowel_incontinence" not in result.present_ids


def test_a_yaml_file_is_parsed_once_and_then_read_back_as_the_same_data(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path)
    parses: list[str] = []

    def parse(text: str) -> object:
        parses.append(text)
        return yaml.safe_load(text)

    text = "words: [a, b]\nlimits: {low: 1.5, high: 3}\n"
    first = cache.parsed_yaml(text, parse)
    second = cache.parsed_yaml(text, parse)
    assert first == second == {"words": ["a", "b"], "limits": {"low": 1.5, "high": 3}}
    assert len(parses) == 1
    assert cache.parsed_yaml(text + "more: yes\n", parse)["more"] is True
    assert len(parses) == 2


def test_yaml_that_json_cannot_hold_is_parsed_every_time(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path)
    text = "grades: {5: normal, 4: against resistance}\nwhen: 2024-01-02\n"
    assert cache.parsed_yaml(text, yaml.safe_load) == yaml.safe_load(text)
    assert list(tmp_path.iterdir()) == []


def test_a_damaged_entry_is_made_again(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path)
    cache.parsed_yaml("a: 1\n", yaml.safe_load)
    (entry,) = tmp_path.iterdir()
    entry.write_bytes(b"{not json")
    assert cache.parsed_yaml("a: 1\n", yaml.safe_load) == {"a": 1}
    assert json.loads(entry.read_bytes()) == {"a": 1}


def test_vectors_are_kept_for_exactly_the_texts_and_model_they_were_made_for(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path)
    calls: list[list[str]] = []

    def embed(texts: list[str]) -> np.ndarray:
        calls.append(texts)
        return np.arange(len(texts) * 3, dtype=np.float32).reshape(len(texts), 3)

    first = cache.vectors("model a", ["fever", "back pain"], embed)
    again = cache.vectors("model a", ["fever", "back pain"], embed)
    assert np.array_equal(first, again) and len(calls) == 1
    cache.vectors("model b", ["fever", "back pain"], embed)
    cache.vectors("model a", ["back pain", "fever"], embed)
    cache.vectors("model a", ["fever back", "pain"], embed)
    assert len(calls) == 4


def test_vectors_of_the_wrong_shape_are_made_again(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path)
    cache.vectors("m", ["a", "b"], lambda texts: np.ones((len(texts), 2), dtype=np.float32))
    (entry,) = tmp_path.iterdir()
    import io

    buffer = io.BytesIO()
    np.save(buffer, np.ones((5, 2), dtype=np.float32))
    entry.write_bytes(buffer.getvalue())
    made = cache.vectors("m", ["a", "b"], lambda texts: np.zeros((len(texts), 2), dtype=np.float32))
    assert made.shape == (2, 2) and not made.any()


def test_a_folder_that_cannot_be_written_keeps_nothing_and_fails_nothing(tmp_path: Path) -> None:
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("")
    cache = BuildCache(blocked / "cache")
    assert cache.parsed_yaml("a: 1\n", yaml.safe_load) == {"a": 1}
    assert cache.vectors("m", ["a"], lambda texts: np.ones((1, 2), dtype=np.float32)).shape == (1, 2)


def test_only_the_newest_entries_of_each_kind_are_kept(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path)
    for number in range(KEPT_PER_KIND + 3):
        cache.parsed_yaml(f"n: {number}\n", yaml.safe_load)
        os.utime(max(tmp_path.glob("yaml-*"), key=lambda path: path.stat().st_mtime_ns),
                 (number, number))
    cache.vectors("m", ["a"], lambda texts: np.ones((1, 2), dtype=np.float32))
    assert len(list(tmp_path.glob("yaml-*"))) == KEPT_PER_KIND
    assert len(list(tmp_path.glob("vectors-*"))) == 1
    assert not list(tmp_path.glob(".*"))


def test_the_cache_folder_is_the_one_named_turned_off_when_empty_and_the_users_otherwise(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    monkeypatch.setenv("SPINECHECK_CACHE_DIR", str(tmp_path))
    assert cache_folder() == tmp_path
    monkeypatch.setenv("SPINECHECK_CACHE_DIR", "")
    assert cache_folder() is None
    assert BuildCache.default().parsed_yaml("a: 1\n", yaml.safe_load) == {"a": 1}
    monkeypatch.delenv("SPINECHECK_CACHE_DIR")
    assert cache_folder() is not None and cache_folder().name == "spinecheck"  # type: ignore[union-attr]


def test_a_reader_built_from_kept_work_reads_as_one_built_from_scratch(tmp_path: Path) -> None:
    code = (
        "import sys, json; sys.path.insert(0, 'tests')\n"
        "from nlp_support import shipped_parser\n"
        "r = shipped_parser().parse('Since yesterday I cannot feel the paper when I wipe and my legs are weak')\n"
        "print(json.dumps([sorted(r.present_ids), sorted(r.absent_ids)]))\n"
    )
    scratch = _run(code, SPINECHECK_CACHE_DIR="")
    first = _run(code, SPINECHECK_CACHE_DIR=str(tmp_path))
    kept = sorted(path.name.split("-")[0] for path in tmp_path.iterdir())
    second = _run(code, SPINECHECK_CACHE_DIR=str(tmp_path))
    assert kept == ["vectors", "yaml"]
    assert scratch == first == second
    assert "saddle_numbness" in json.loads(second)[0]


def test_a_missing_embedding_model_stops_the_build_with_its_own_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from nlp_support import shipped_findings
    from spinecheck.adapters.nlp import NarrativeParser, lexicon_path, load_lexicon, pipeline
    from spinecheck.adapters.nlp.semantic import EmbeddingModelError

    def missing() -> None:
        raise EmbeddingModelError("WordLlama's weights are missing")

    monkeypatch.setattr(pipeline, "WordLlamaEmbedder", missing)
    before = threading.active_count()
    with pytest.raises(EmbeddingModelError, match="weights are missing"):
        NarrativeParser(shipped_findings(), load_lexicon(lexicon_path()))
    assert threading.active_count() == before


def test_a_half_written_file_left_an_hour_ago_is_cleared_and_a_fresh_one_kept(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path)
    stale, fresh = tmp_path / ".yaml-abc.json.x1", tmp_path / ".yaml-def.json.x2"
    stale.write_bytes(b"{")
    fresh.write_bytes(b"{")
    os.utime(stale, (0, 0))
    cache.parsed_yaml("a: 1\n", yaml.safe_load)
    assert not stale.exists() and fresh.exists()
