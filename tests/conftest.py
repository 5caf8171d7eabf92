import pytest

from tests import cli
from tests.fakeslack import FakeSlack, manifest_scopes
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
        truncated = [w for w in fake.warnings() if w[1] == "message_truncated"]
        assert not truncated, f"Slack would truncate: {truncated}"
        granted = manifest_scopes()  # a call refused while a test had taken a scope away is that test's to judge
        unscoped = [(c.method, c.response["needed"]) for c in fake.calls
                    if c.response and c.response.get("error") == "missing_scope"
                    and set(c.response.get("provided", "").split(",")) == granted]
        assert not unscoped, f"Clerk called Slack without the scope the manifest grants: {unscoped}"


@pytest.fixture
def clerk(database_url, fake_slack):
    """Clerk serving HTTP on a local port, talking to the fake Slack Web API."""
    with ClerkUnderTest(database_url, fake_slack) as running:
        yield running


@pytest.fixture
def empty_url(database_url, tmp_path):
    """A second, empty database of the same kind (a backup is restored into one)."""
    from tests.databases import new_postgres_database

    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path}/empty.db"
    else:
        with new_postgres_database() as url:
            yield url
