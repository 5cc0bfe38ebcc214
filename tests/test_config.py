"""The MkDocs configs: a key written twice is silently overridden by YAML, so it fails here."""

from __future__ import annotations

import pytest
import yaml

from tests.conftest import ROOT


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys and ignores MkDocs' !!python and ! tags."""


def _mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    keys = [loader.construct_object(key, deep=deep) for key, _ in node.value]
    duplicates = sorted({str(k) for k in keys if keys.count(k) > 1})
    if duplicates:
        raise yaml.constructor.ConstructorError(
            None, None, f"duplicate keys {duplicates}", node.start_mark
        )
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_StrictLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *args: None)
_StrictLoader.add_multi_constructor("!", lambda *args: None)


@pytest.mark.parametrize("name", ["mkdocs.yml", "mkdocs.zh.yml"])
def test_no_key_is_written_twice(name: str):
    yaml.load((ROOT / name).read_text(encoding="utf-8"), Loader=_StrictLoader)


def test_the_check_catches_a_duplicate():
    with pytest.raises(yaml.constructor.ConstructorError, match="extra_css"):
        yaml.load("extra_css: [a]\nsite_name: x\nextra_css: [b]\n", Loader=_StrictLoader)
