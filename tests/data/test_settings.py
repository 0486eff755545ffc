import pytest

from pilotage.core.channels import DEFAULT_RULES
from pilotage.data.settings import (
    WorkspaceSettings,
    read_settings,
    render_settings,
    settings_from_dict,
)
from pilotage.errors import ConfigError


def test_rendered_settings_read_back_identically(tmp_path):
    settings = WorkspaceSettings(
        name='Clairval "demo"', reporting_currency="CHF", timezone="Europe/Zurich", lookback_days=30
    )
    path = tmp_path / "pilotage.toml"
    path.write_text(render_settings(settings), encoding="utf-8")
    back = read_settings(path)
    assert back == settings
    assert back.channel_rules == DEFAULT_RULES


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"workspace": {"reporting_currency": "euro"}}, "not an ISO 4217 code"),
        ({"workspace": {"timezone": "Paris"}}, "timezone 'Paris' is unknown"),
        ({"workspace": {"lookback_days": 0}}, "lookback_days 0 is out of range"),
        ({"workspace": {"currency": "EUR"}}, "unknown setting"),
        ({"channel_rules": [{"medium": "cpc"}]}, "must be a table with a 'channel' key"),
        ({"channel_rules": [{"channel": "x", "medium": "("}]}, "not a valid regular expression"),
        ({"channel_rules": [{"channel": "x", "utm": "a"}]}, "unknown key"),
    ],
)
def test_bad_settings_name_the_file_and_the_problem(raw, message):
    with pytest.raises(ConfigError) as info:
        settings_from_dict(raw, "ws/pilotage.toml")
    assert message in str(info.value)
    assert "ws/pilotage.toml" in str(info.value)


def test_missing_or_broken_file(tmp_path):
    with pytest.raises(ConfigError, match="pilotage init"):
        read_settings(tmp_path / "pilotage.toml")
    (tmp_path / "pilotage.toml").write_text("[workspace\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        read_settings(tmp_path / "pilotage.toml")
