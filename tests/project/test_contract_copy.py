"""The repository's copies of the contracts (docs/contract/) are the published ones.

The published contracts live beside the project in ``../shared/spec/`` (relative to the
repository root, not the working directory). Where that directory exists, each copy must be
byte-identical to it; a clone without ``../shared`` skips this test and uses its own copies.
"""

from __future__ import annotations

import pytest

from tests.support.paths import ROOT

COPIES = ROOT / "docs" / "contract"
SHARED_SPEC = ROOT.parent / "shared" / "spec"
CONTRACT_FILES = ("review-service.openapi.yaml", "card-profile.md")


@pytest.mark.parametrize("name", CONTRACT_FILES)
def test_contract_copy_is_the_published_contract(name: str) -> None:
    if not SHARED_SPEC.is_dir():
        pytest.skip(f"{SHARED_SPEC} does not exist: nothing to compare docs/contract/ with")
    published = SHARED_SPEC / name
    assert published.is_file(), f"../shared/spec/{name} is missing: was the contract renamed?"
    assert (COPIES / name).is_file(), f"docs/contract/{name} is missing: copy it from ../shared/spec/"
    assert (COPIES / name).read_bytes() == published.read_bytes(), (
        f"docs/contract/{name} differs from ../shared/spec/{name}: "
        "copy the new contract and update the simulator"
    )
