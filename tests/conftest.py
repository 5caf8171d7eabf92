import pytest

from tests.fakeslack import FakeSlack
from tests.harness import ClerkUnderTest

pytest_plugins = ["tests.databases"]


@pytest.fixture
def fake_slack():
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def clerk(database_url, fake_slack):
    """Clerk serving HTTP on a local port, talking to the fake Slack Web API."""
    with ClerkUnderTest(database_url, fake_slack) as running:
        yield running
