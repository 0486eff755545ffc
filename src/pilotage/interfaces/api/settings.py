"""Server settings: the cookie-signing secret and the upload limit, checked at start-up."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field

from pilotage.errors import ConfigError
from pilotage.services.accounts import SessionTimes
from pilotage.services.uploads import DEFAULT_MAX_UPLOAD_MB

ENV_SECRET_KEY = "PILOTAGE_SECRET_KEY"
ENV_MAX_UPLOAD_MB = "PILOTAGE_MAX_UPLOAD_MB"
MIN_SECRET_LENGTH = 32
_GENERATE = 'python -c "import secrets; print(secrets.token_urlsafe(48))"'
#: Values copied from examples; a secret starting with one of them is refused.
_PLACEHOLDERS = ("changeme", "change-me", "change_me", "secret", "please-change", "xxx")


@dataclass(frozen=True)
class ServerSettings:
    secret_key: str
    demo: bool = False
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_MB * 1_000_000
    session_times: SessionTimes = field(default_factory=SessionTimes)

    def __post_init__(self) -> None:
        _check_secret(self.secret_key)
        if self.max_upload_bytes < 1:
            raise ConfigError(
                f"the upload limit must be positive, not {self.max_upload_bytes} bytes",
                fix=f"set {ENV_MAX_UPLOAD_MB} to a number of megabytes, e.g. 200",
            )

    @classmethod
    def load(
        cls,
        *,
        demo: bool,
        secret_key: str | None = None,
        max_upload_mb: float | None = None,
        environ: Mapping[str, str] = os.environ,
    ) -> ServerSettings:
        """Arguments first, then the environment. Without a secret, only the demo starts
        (with a random key for this process: its sessions end when it stops)."""
        secret = secret_key if secret_key is not None else environ.get(ENV_SECRET_KEY, "")
        if not secret.strip():
            if not demo:
                raise ConfigError(
                    f"{ENV_SECRET_KEY} is not set; it signs the login cookies",
                    fix=f"export {ENV_SECRET_KEY}=$({_GENERATE}) "
                    f"(at least {MIN_SECRET_LENGTH} random characters)",
                )
            # Hex: it can never start like a placeholder.
            secret = secrets.token_hex(32)
        limit_mb = max_upload_mb if max_upload_mb is not None else _env_limit(environ)
        return cls(secret_key=secret, demo=demo, max_upload_bytes=int(limit_mb * 1_000_000))


def _check_secret(secret: str) -> None:
    lowered = secret.strip().lower()
    if len(lowered) < MIN_SECRET_LENGTH:
        raise ConfigError(
            f"{ENV_SECRET_KEY} has {len(lowered)} characters, fewer than {MIN_SECRET_LENGTH}",
            fix=f"generate one with {_GENERATE}",
        )
    # Few distinct characters means a typed pattern ("aaaa...", "1234..."), not randomness.
    if lowered.startswith(_PLACEHOLDERS) or len(set(lowered)) < 8:
        raise ConfigError(
            f"{ENV_SECRET_KEY} looks like a placeholder, not a random secret",
            fix=f"generate one with {_GENERATE}",
        )


def _env_limit(environ: Mapping[str, str]) -> float:
    raw = environ.get(ENV_MAX_UPLOAD_MB, "").strip()
    if not raw:
        return DEFAULT_MAX_UPLOAD_MB
    try:
        return float(raw)
    except ValueError as exc:
        raise ConfigError(
            f"{ENV_MAX_UPLOAD_MB}={raw!r} is not a number of megabytes", fix="e.g. 200"
        ) from exc
