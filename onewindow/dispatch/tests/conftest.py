from __future__ import annotations

from typing import Any

import pytest

from onewindow.dispatch.tests.matrix import Objects, build


@pytest.fixture
def objs(db: Any) -> Objects:
    """The permission matrix's world: a project with a report, a site report, a photo and a problem."""
    return build()
