"""Our forks of Material templates stay in step with Material: each equals
Material's own file plus exactly the changes listed in workbook/forks.py, so
an upgrade of Material that changes an original makes this fail instead of
silently keeping old markup."""

from __future__ import annotations

import pytest

from conftest import ROOT
from workbook.forks import FORKS, render


@pytest.mark.parametrize("name", sorted(FORKS))
def test_fork_is_upstream_plus_the_listed_changes(name):
    ours = (ROOT / "overrides" / name).read_text(encoding="utf-8")
    assert ours == render(name), (
        f"overrides/{name} is not Material's file plus the changes in "
        "scripts/workbook/forks.py; run `.venv/bin/python -m workbook.forks`")
