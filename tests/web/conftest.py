from __future__ import annotations

import pytest

from tests.web.newsroom import open_newsroom


@pytest.fixture
def newsroom(instance):
    room, server = open_newsroom(instance)
    with server:
        yield room
    room.engine.dispose()
