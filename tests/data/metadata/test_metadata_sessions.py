"""Web sessions: secret stored hashed, idle and absolute expiry, rotation, logout, audit."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from pilotage.data.metadata.audit import list_audit
from pilotage.data.metadata.models import WebSession
from pilotage.data.metadata.sessions import (
    create_session,
    find_session,
    needs_touch,
    revoke_session,
    touch_session,
)
from pilotage.data.metadata.store import MetadataStore
from pilotage.data.metadata.tokens import hash_secret
from pilotage.data.metadata.users import create_user, find_user

if TYPE_CHECKING:
    from conftest import FakeClock

IDLE = timedelta(hours=12)
MAX_AGE = timedelta(days=7)


def _login(store: MetadataStore, replaces: str | None = None) -> str:
    with store.session() as session:
        user = find_user(session, "ana@acme.test") or create_user(
            session, "ana@acme.test", "cmo", "a-long-password"
        )
        _, secret = create_session(
            session, user, idle=IDLE, max_age=MAX_AGE, ip="10.0.0.1", replaces=replaces
        )
    return secret


def test_secret_is_stored_hashed_and_found(store: MetadataStore) -> None:
    secret = _login(store)
    with store.session() as session:
        found = find_session(session, secret)
        assert found is not None and found.id == hash_secret(secret) != secret
        assert found.user.email == "ana@acme.test" and len(found.csrf_token) >= 32
        assert find_session(session, "unknown") is None


def test_idle_expiry_and_touch(store: MetadataStore, clock: FakeClock) -> None:
    secret = _login(store)
    clock.advance(hours=11)
    with store.session() as session:
        found = find_session(session, secret)
        assert found is not None
        touch_session(session, found, idle=IDLE, max_age=MAX_AGE)
    clock.advance(hours=11)
    with store.session() as session:
        assert find_session(session, secret) is not None
    clock.advance(hours=13)
    with store.session() as session:
        assert find_session(session, secret) is None


def test_absolute_expiry_even_when_active(store: MetadataStore, clock: FakeClock) -> None:
    secret = _login(store)
    for _ in range(20):  # 220 hours of activity, more than the 168 allowed
        clock.advance(hours=11)
        with store.session() as session:
            found = find_session(session, secret)
            if found is None:
                break
            touch_session(session, found, idle=IDLE, max_age=MAX_AGE)
    with store.session() as session:
        assert find_session(session, secret) is None
        row = session.get(WebSession, hash_secret(secret))
        assert row is not None and row.expires_at - row.created_at <= MAX_AGE


def test_rotation_and_logout_are_audited(store: MetadataStore) -> None:
    first = _login(store)
    second = _login(store, replaces=first)
    with store.session() as session:
        assert find_session(session, first) is None
        assert find_session(session, second) is not None
        assert revoke_session(session, second) is not None
        assert find_session(session, second) is None
        assert revoke_session(session, second) is None
        actions = [e.action for e in list_audit(session)]
    assert actions.count("user.login") == 2 and actions.count("user.logout") == 1


def test_use_is_recorded_once_a_minute_not_per_request(
    store: MetadataStore, clock: FakeClock
) -> None:
    secret = _login(store)
    clock.advance(seconds=30)
    with store.reading() as session:
        found = find_session(session, secret)
        assert found is not None and not needs_touch(session, found)
    clock.advance(seconds=31)
    with store.reading() as session:
        found = find_session(session, secret)
        assert found is not None and needs_touch(session, found)


def test_reads_do_not_wait_for_a_writer(store: MetadataStore) -> None:
    """While a write transaction holds the lock (BEGIN IMMEDIATE on SQLite), sign-in checks
    still read: they would otherwise wait for the busy timeout."""
    secret = _login(store)
    with store.session() as writer:
        found = find_session(writer, secret)
        assert found is not None
        touch_session(writer, found, idle=IDLE, max_age=MAX_AGE)
        with store.reading() as reader:
            assert find_session(reader, secret) is not None
