import pytest

from tests import cli
from tests.fakeslack import FakeSlack
from tests.harness import ClerkUnderTest

pytest_plugins = ["tests.databases"]


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    """Clerk's settings read in this process (bot.main) get the same fixed "now" as its subprocesses."""
    monkeypatch.setenv("CLERK_NOW", cli.NOW)


@pytest.fixture
def fake_slack():
    """The fake Slack Web API. Whatever test ran, nothing Clerk sent may break Block Kit's limits:
    the fake refuses it as Slack would, and the test fails here if it did."""
    with FakeSlack() as fake:
        yield fake
        refused = [(c.method, c.response["errors"]) for c in fake.calls if c.response and c.response.get("errors")]
        assert not refused, f"Slack would refuse: {refused}"
        assert not fake.warnings(), f"Slack would truncate: {fake.warnings()}"


@pytest.fixture
def clerk(database_url, fake_slack):
    """Clerk serving HTTP on a local port, talking to the fake Slack Web API."""
    with ClerkUnderTest(database_url, fake_slack) as running:
        yield running
