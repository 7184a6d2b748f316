"""Shared fixtures: the test PKI and the path of the `scream` binary under test."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from certs import TestPKI, make_pki  # noqa: E402


def pytest_sessionstart(session: pytest.Session) -> None:
    """Starts the INTEROP_REPORT file afresh, so it lists this run's scenarios only."""
    report = os.environ.get("INTEROP_REPORT")
    if report:
        Path(report).write_text("")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--scream", default=os.environ.get("SCREAM_BINARY"),
                     help="path of the scream binary to play against the fake (default: $SCREAM_BINARY)")


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> TestPKI:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="session")
def scream_binary(request: pytest.FixtureRequest) -> Path | None:
    value = request.config.getoption("--scream")
    return Path(value) if value else None
