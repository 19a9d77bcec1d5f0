"""The knowledge files are parsed by libyaml when it is there, to the same data as PyYAML's own loader."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from spinecheck.core.kb.errors import KnowledgeBaseError
from spinecheck.core.kb.loader import DEFAULT_ROOT, load_knowledge_base, parse_yaml


def _same(a: Any, b: Any) -> bool:
    """Equal, with the same types and the same key order all the way down."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[key], b[key]) for key in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


@pytest.mark.parametrize("path", sorted(DEFAULT_ROOT.rglob("*.yaml")), ids=lambda p: str(p.relative_to(DEFAULT_ROOT)))
def test_every_knowledge_file_parses_to_the_same_data_as_safe_load(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert _same(parse_yaml(text), yaml.safe_load(text))


def test_a_broken_file_is_reported_in_the_python_loaders_words(tmp_path: Path) -> None:
    broken = "key: [unclosed\nother: value\n"
    with pytest.raises(yaml.YAMLError) as python_error:
        yaml.safe_load(broken)
    with pytest.raises(yaml.YAMLError) as error:
        parse_yaml(broken)
    assert str(error.value) == str(python_error.value)
    root = tmp_path / "kb"
    import shutil

    shutil.copytree(DEFAULT_ROOT, root)
    (root / "sources.yaml").write_text(broken, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="not valid YAML"):
        load_knowledge_base(root)
