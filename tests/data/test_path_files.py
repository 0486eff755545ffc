"""Aggregated path files: columns by option, fractional counts, every bad cell reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from pilotage.core.attribution.paths import LEAD, OPPORTUNITY, WON
from pilotage.data.path_files import PathColumns, read_path_file
from pilotage.errors import InputError

FIXTURES = Path(__file__).parents[1] / "fixtures" / "attribution"


def write(tmp_path: Path, text: str, name: str = "paths.csv") -> Path:
    file = tmp_path / name
    file.write_text(text, encoding="utf-8")
    return file


def test_reads_the_fixture_with_tags_and_fractional_counts():
    paths = read_path_file(FIXTURES / "paths.csv")
    assert paths.n_paths == 8
    assert paths.conversions.sum() == pytest.approx(33.5)
    assert paths.nulls.sum() == pytest.approx(169.5)
    assert "webinar" in paths.channels and paths.has_stages
    assert sorted(int(s) for s in paths.stages if s) == [LEAD, OPPORTUNITY, WON]


def test_other_names_separator_and_merged_duplicates(tmp_path):
    file = write(tmp_path, "journey;conv;val\n a | b ;1,5;10\na|b;0,5;2\n;1;3\n")
    cols = PathColumns(path="journey", conversions="conv", value="val")
    paths = read_path_file(file, cols, sep="|")
    assert paths.channels == ("a", "b") and paths.n_paths == 2
    assert sorted(paths.conversions.tolist()) == [1.0, 2.0]
    assert paths.lengths.tolist().count(0) == 1  # the blank path: no touch


def test_ages_column(tmp_path):
    file = write(tmp_path, "path,total_conversions,touch_ages\na>b,1,5>0\n")
    assert read_path_file(file).ages.tolist() == [5.0, 0.0]
    bad = write(tmp_path, "path,total_conversions,touch_ages\na>b,1,5\n", "bad.csv")
    with pytest.raises(InputError, match="line 2, column 'touch_ages'"):
        read_path_file(bad)


@pytest.mark.parametrize(
    ("text", "where", "fix"),
    [
        ("route,total_conversions\na,1\n", "line 1, column 'path'", "--path-col"),
        ("path,total_conversions\na,1\nb,-2\n", "line 3, column 'total_conversions'", "0 or more"),
        ("path,total_conversions\na,lots\n", "line 2, column 'total_conversions'", "such as 12"),
        ("path,total_conversions\na>>b,1\n", "line 2, column 'path'", "doubled or trailing"),
        ("path,total_conversions\na / b / c,1\n", "line 2, column 'path'", "--sep '/'"),
        ("path,total_conversions\na[mql],1\n", "line 2, column 'path'", "[lead], [opp] or [won]"),
        ("path,total_conversions\na[opp]>b[lead],1\n", "line 2, column 'path'", "then opp"),
        ("path,total_conversions,total_conversion_value\na,0,5\n", "line 2", "converting"),
    ],
)
def test_bad_files_name_line_column_and_fix(tmp_path, text, where, fix):
    with pytest.raises(InputError) as caught:
        read_path_file(write(tmp_path, text))
    assert where in str(caught.value) and fix in str(caught.value)


def test_every_bad_row_is_listed(tmp_path):
    file = write(tmp_path, "path,total_conversions\na,x\nb,-1\n>c,1\n")
    with pytest.raises(InputError) as caught:
        read_path_file(file)
    assert [e.line for e in caught.value.errors] == [2, 3, 4]
