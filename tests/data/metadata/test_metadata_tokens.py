from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import pytest

from pilotage.data.metadata.audit import list_audit
from pilotage.data.metadata.models import User
from pilotage.data.metadata.store import MetadataStore
from pilotage.data.metadata.tokens import create_token, list_tokens, revoke_token, verify_token
from pilotage.data.metadata.users import create_user, get_user
from pilotage.errors import NotFoundError, UsageError

if TYPE_CHECKING:
    # Test modules are imported without sys.path changes (importlib mode): type-only.
    from conftest import FakeClock

PASSWORD = "correct horse battery"


@pytest.fixture
def users(store: MetadataStore) -> None:
    with store.session() as session:
        create_user(session, "admin@example.com", "admin", PASSWORD)
        create_user(session, "ann@example.com", "marketing", PASSWORD)


@pytest.mark.usefixtures("users")
def test_token_round_trip(store: MetadataStore, clock: FakeClock) -> None:
    with store.session() as session:
        token, secret = create_token(session, "ANN@example.com", "write", name="laptop")
    assert secret.startswith("plt_")
    assert len(secret) > 40
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest() != secret
    assert token.prefix == secret[:8]
    assert token.last_used_at is None

    clock.advance(minutes=5)
    with store.session() as session:
        verified = verify_token(session, secret)
        assert verified is not None
        user, scope = verified
        assert (user.email, scope) == ("ann@example.com", "write")
    with store.session() as session:
        (stored,) = list_tokens(session, "ann@example.com")
        audit = list_audit(session)
    assert stored.last_used_at == clock()
    assert stored.name == "laptop"
    assert audit[0].action == "token.create"
    assert audit[0].target == "ann@example.com"
    assert secret not in str(audit[0].details)


@pytest.mark.usefixtures("users")
@pytest.mark.parametrize("scope", ["read", "write", "admin"])
def test_scope_is_returned(store: MetadataStore, scope: str) -> None:
    with store.session() as session:
        _, secret = create_token(session, "admin@example.com", scope)
    with store.session() as session:
        verified = verify_token(session, secret)
    assert verified is not None
    assert verified[1] == scope


@pytest.mark.usefixtures("users")
def test_revoked_token_is_refused(store: MetadataStore) -> None:
    with store.session() as session:
        token, secret = create_token(session, "ann@example.com", "read")
    with store.session() as session:
        revoke_token(session, token.id, actor="admin@example.com")
        revoke_token(session, token.id, actor="admin@example.com")
    with store.session() as session:
        assert verify_token(session, secret) is None
        actions = [(e.actor, e.action) for e in list_audit(session)]
    assert actions[:2] == [("admin@example.com", "token.revoke"), ("system", "token.create")]


@pytest.mark.usefixtures("users")
def test_expired_token_is_refused(store: MetadataStore, clock: FakeClock) -> None:
    with store.session() as session:
        _, secret = create_token(
            session, "ann@example.com", "read", expires_at=clock() + timedelta(hours=1)
        )
    clock.advance(minutes=59)
    with store.session() as session:
        assert verify_token(session, secret) is not None
    clock.advance(minutes=1)
    with store.session() as session:
        assert verify_token(session, secret) is None


@pytest.mark.usefixtures("users")
def test_token_of_a_deactivated_user_is_refused(store: MetadataStore) -> None:
    with store.session() as session:
        _, secret = create_token(session, "ann@example.com", "read")
        get_user(session, "ann@example.com").is_active = False
    with store.session() as session:
        assert verify_token(session, secret) is None


@pytest.mark.usefixtures("users")
@pytest.mark.parametrize("secret", ["", "plt_", "plt_unknown", "not-a-token"])
def test_unknown_secret_is_refused(store: MetadataStore, secret: str) -> None:
    with store.session() as session:
        create_token(session, "ann@example.com", "read")
    with store.session() as session:
        assert verify_token(session, secret) is None


@pytest.mark.usefixtures("users")
def test_bad_token_requests_are_refused(store: MetadataStore, clock: FakeClock) -> None:
    cases: list[tuple[type[Exception], str, str, datetime | None]] = [
        (UsageError, "ann@example.com", "everything", None),
        (UsageError, "ann@example.com", "admin", None),
        (UsageError, "ann@example.com", "read", clock() - timedelta(seconds=1)),
        (UsageError, "ann@example.com", "read", datetime(2030, 1, 1)),
        (NotFoundError, "nobody@example.com", "read", None),
    ]
    for error, email, scope, expires_at in cases:
        with pytest.raises(error), store.session() as session:
            create_token(session, email, scope, expires_at=expires_at)
    with pytest.raises(NotFoundError), store.session() as session:
        revoke_token(session, 12345)
    with store.session() as session:
        assert list_tokens(session, "ann@example.com") == []


def test_tokens_belong_to_their_user(store: MetadataStore, users: None) -> None:
    with store.session() as session:
        token, _ = create_token(session, "ann@example.com", "read")
        owner: User = token.user
    assert owner.email == "ann@example.com"
