from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from pilotage.data.metadata.audit import list_audit
from pilotage.data.metadata.models import LoginAttempt, User
from pilotage.data.metadata.store import MetadataStore
from pilotage.data.metadata.users import (
    authenticate,
    create_user,
    get_user,
    list_users,
    set_role,
    too_many_failed_logins,
)
from pilotage.errors import NotFoundError, UsageError

if TYPE_CHECKING:
    # Test modules are imported without sys.path changes (importlib mode): type-only.
    from conftest import FakeClock

PASSWORD = "correct horse battery"


@pytest.fixture
def alice(store: MetadataStore) -> User:
    with store.session() as session:
        return create_user(session, " Alice@Example.COM ", "cmo", PASSWORD, "Alice", "en")


def _attempts(store: MetadataStore) -> list[tuple[str, bool]]:
    with store.session() as session:
        rows = session.execute(
            select(LoginAttempt.email, LoginAttempt.success).order_by(LoginAttempt.id)
        )
        return [(email, success) for email, success in rows]


def test_create_user_stores_a_lower_cased_email_and_an_argon2_hash(
    store: MetadataStore, alice: User, clock: FakeClock
) -> None:
    with store.session() as session:
        user = get_user(session, "alice@example.com")
    assert user.email == "alice@example.com"
    assert (user.role, user.language, user.display_name) == ("cmo", "en", "Alice")
    assert user.is_active
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert user.created_at == clock()
    assert user.last_login_at is None


def test_defaults_and_restrictions(store: MetadataStore) -> None:
    restrictions = {"country": ["FR", "BE"], "account_id": ["A-1"]}
    with store.session() as session:
        create_user(session, "bob@example.com", "sales", PASSWORD, restrictions=restrictions)
    with store.session() as session:
        bob = get_user(session, "BOB@example.com")
    assert bob.language == "fr"
    assert bob.display_name is None
    assert bob.restrictions == restrictions


def test_authenticate_succeeds_and_records_the_login(
    store: MetadataStore, alice: User, clock: FakeClock
) -> None:
    clock.advance(hours=1)
    with store.session() as session:
        user = authenticate(session, "ALICE@example.com", PASSWORD, ip="10.0.0.1")
        assert user is not None
        assert user.email == "alice@example.com"
    with store.session() as session:
        assert get_user(session, "alice@example.com").last_login_at == clock()
    assert _attempts(store) == [("alice@example.com", True)]


def test_wrong_password_and_unknown_user_are_refused_and_recorded(
    store: MetadataStore, alice: User
) -> None:
    with store.session() as session:
        assert authenticate(session, "alice@example.com", "not the password") is None
        assert authenticate(session, "nobody@example.com", PASSWORD) is None
        assert authenticate(session, "alice@example.com", "") is None
    assert _attempts(store) == [
        ("alice@example.com", False),
        ("nobody@example.com", False),
        ("alice@example.com", False),
    ]


def test_inactive_user_cannot_log_in(store: MetadataStore, alice: User) -> None:
    with store.session() as session:
        get_user(session, "alice@example.com").is_active = False
    with store.session() as session:
        assert authenticate(session, "alice@example.com", PASSWORD) is None


def test_password_is_rehashed_when_argon2_parameters_change(
    store: MetadataStore, alice: User
) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    with store.session() as session:
        get_user(session, "alice@example.com").password_hash = weak
    with store.session() as session:
        assert authenticate(session, "alice@example.com", PASSWORD) is not None
    with store.session() as session:
        rehashed = get_user(session, "alice@example.com").password_hash
    assert rehashed != weak
    assert not PasswordHasher().check_needs_rehash(rehashed)
    assert PasswordHasher().verify(rehashed, PASSWORD)


def test_duplicate_email_is_refused_whatever_its_case(store: MetadataStore, alice: User) -> None:
    with pytest.raises(UsageError, match="already exists"), store.session() as session:
        create_user(session, "ALICE@EXAMPLE.COM", "viewer", PASSWORD)


def test_unknown_role_is_refused_with_the_allowed_roles(store: MetadataStore) -> None:
    with pytest.raises(UsageError) as caught, store.session() as session:
        create_user(session, "c@example.com", "boss", PASSWORD)
    assert "boss" in str(caught.value)
    assert caught.value.fix == "use one of admin, cmo, marketing, sales, finance, viewer"


def test_short_password_is_refused(store: MetadataStore) -> None:
    with pytest.raises(UsageError, match="fewer than 10"), store.session() as session:
        create_user(session, "c@example.com", "viewer", "123456789")
    with store.session() as session:
        create_user(session, "c@example.com", "viewer", "1234567890")


@pytest.mark.parametrize(
    ("email", "language", "restrictions"),
    [
        ("not-an-email", "fr", None),
        ("two words@example.com", "fr", None),
        ("c@example.com", "de", None),
        ("c@example.com", "fr", {"country": "FR"}),
    ],
)
def test_bad_email_language_or_restrictions_are_refused(
    store: MetadataStore, email: str, language: str, restrictions: dict[str, list[str]] | None
) -> None:
    with pytest.raises(UsageError), store.session() as session:
        create_user(
            session, email, "viewer", PASSWORD, language=language, restrictions=restrictions
        )
    with store.session() as session:
        assert list_users(session) == []


def test_list_users_and_set_role(store: MetadataStore, alice: User) -> None:
    with store.session() as session:
        create_user(session, "bob@example.com", "viewer", PASSWORD)
        set_role(session, "BOB@example.com", "finance", actor="alice@example.com")
        get_user(session, "alice@example.com").is_active = False
    with store.session() as session:
        assert [(u.email, u.role) for u in list_users(session)] == [
            ("alice@example.com", "cmo"),
            ("bob@example.com", "finance"),
        ]
        assert [u.email for u in list_users(session, include_inactive=False)] == ["bob@example.com"]
        last = list_audit(session, limit=1)[0]
    assert (last.actor, last.action, last.target) == (
        "alice@example.com",
        "user.set_role",
        "bob@example.com",
    )
    assert last.details == {"from": "viewer", "to": "finance"}


def test_set_role_refuses_unknown_user_and_role(store: MetadataStore, alice: User) -> None:
    with pytest.raises(NotFoundError), store.session() as session:
        set_role(session, "nobody@example.com", "viewer")
    with pytest.raises(UsageError, match="unknown role"), store.session() as session:
        set_role(session, "alice@example.com", "boss")


def test_rate_limit_after_five_failures(
    store: MetadataStore, alice: User, clock: FakeClock
) -> None:
    def fail_once() -> None:
        with store.session() as session:
            authenticate(session, "alice@example.com", "wrong password", ip="10.0.0.1")
        clock.advance(seconds=30)

    def limited() -> bool:
        with store.session() as session:
            return too_many_failed_logins(session, "Alice@example.com", "10.0.0.2")

    for _ in range(4):
        fail_once()
    assert not limited()
    fail_once()
    assert limited()
    clock.advance(minutes=15)
    assert not limited()


def test_a_successful_login_resets_the_count(
    store: MetadataStore, alice: User, clock: FakeClock
) -> None:

    for _ in range(4):
        with store.session() as session:
            authenticate(session, "alice@example.com", "wrong password")
        clock.advance(seconds=1)
    with store.session() as session:
        authenticate(session, "alice@example.com", PASSWORD)
    clock.advance(seconds=1)
    with store.session() as session:
        authenticate(session, "alice@example.com", "wrong password")
        assert not too_many_failed_logins(session, "alice@example.com", None)


def test_rate_limit_by_ip_across_emails(store: MetadataStore, clock: FakeClock) -> None:
    with store.session() as session:
        for n in range(20):
            authenticate(session, f"user{n}@example.com", "wrong password", ip="10.0.0.9")
            clock.advance(seconds=1)
        assert too_many_failed_logins(session, "someone@example.com", "10.0.0.9")
        assert not too_many_failed_logins(session, "someone@example.com", "10.0.0.10")
