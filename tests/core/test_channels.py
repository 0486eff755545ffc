import pytest

from pilotage.core.channels import (
    DEFAULT_RULES,
    UNASSIGNED,
    ChannelRule,
    classify,
    normalise_channel,
)


@pytest.mark.parametrize(
    ("source", "medium", "expected"),
    [
        ("google", "cpc", "paid_search"),
        ("bing", "ppc", "paid_search"),
        ("Google ", " CPC", "paid_search"),
        ("linkedin", "cpc", "paid_social"),
        ("facebook", "paid_social", "paid_social"),
        ("youtube", "cpv", "video"),
        ("criteo", "display", "display"),
        ("google", "organic", "organic_search"),
        ("qwant", None, "organic_search"),
        ("linkedin", "social", "organic_social"),
        ("newsletter", "email", "email"),
        ("hubspot", None, "email"),
        ("(direct)", "(none)", "direct"),
        ("lemonde.fr", "referral", "referral"),
        ("zoom", "webinar", "webinars"),
        ("vivatech", "event", "events"),
        ("partner-x", "partner", "partners"),
        ("awin", "affiliate", "affiliate"),
    ],
    ids=lambda v: str(v),
)
def test_default_rules_map_common_values(source, medium, expected):
    result = classify(DEFAULT_RULES, [(source, medium, None)])
    assert list(result.channels.values()) == [expected]
    assert result.unmapped == ()


def test_unmapped_values_are_reported_not_dropped():
    result = classify(DEFAULT_RULES, [("mystery", "carrier-pigeon", None), ("google", "cpc", "")])
    assert result.channels[("mystery", "carrier-pigeon", "")] == UNASSIGNED
    assert result.unmapped == (("mystery", "carrier-pigeon", ""),)


def test_first_matching_rule_wins():
    rules = (ChannelRule("events", campaign="salon.*"), *DEFAULT_RULES)
    result = classify(rules, [("google", "cpc", "Salon Lyon")])
    assert result.channels[("google", "cpc", "salon lyon")] == "events"


def test_invalid_pattern_names_the_rule():
    with pytest.raises(ValueError, match=r"paid_search.*medium.*not a valid regular expression"):
        ChannelRule("paid_search", medium="(cpc")


def test_rule_without_pattern_is_refused():
    with pytest.raises(ValueError, match="needs a source, medium or campaign"):
        ChannelRule("email")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Paid Search", "paid_search"), (" paid-social ", "paid_social"), ("email", "email")],
)
def test_normalise_channel(raw, expected):
    assert normalise_channel(raw) == expected
