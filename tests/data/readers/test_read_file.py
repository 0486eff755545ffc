"""read_file: formats, encodings, separators, line numbers, and every unreadable case."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pilotage.data.readers.files import read_file
from pilotage.errors import InputError, UsageError

FIXTURES = Path(__file__).parents[2] / "fixtures" / "files"


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def only_error(exc: pytest.ExceptionInfo[InputError]) -> tuple[int | None, str, str]:
    assert len(exc.value.errors) == 1
    error = exc.value.errors[0]
    assert error.fix
    return error.line, error.rule, error.fix


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_separator_is_sniffed(tmp_path: Path, sep: str) -> None:
    text = sep.join(["a", "b", "c"]) + "\n" + sep.join(['"1,5;2|3\t4"', "x", "z"]) + "\n"
    raw = read_file(write(tmp_path, "t.csv", text))
    assert raw.columns == ["a", "b", "c"]
    assert raw.data.column("a").to_pylist() == ["1,5;2|3\t4"]


def test_forced_separator_and_bad_separator(tmp_path: Path) -> None:
    path = write(tmp_path, "t.csv", "a;b\n1;2\n")
    assert read_file(path, sep=",").columns == ["a;b"]
    with pytest.raises(UsageError):
        read_file(path, sep="#")


def test_quoted_newlines_keep_the_starting_line(tmp_path: Path) -> None:
    text = 'id,note\n1,"two\nlines"\n\n2,plain\r\n3,"a ""quote"""\n'
    raw = read_file(write(tmp_path, "t.csv", text))
    assert raw.lines.to_pylist() == [2, 5, 6]
    assert raw.data.column("note").to_pylist() == ["two\nlines", "plain", 'a "quote"']


def test_empty_strings_become_null(tmp_path: Path) -> None:
    raw = read_file(write(tmp_path, "t.csv", "a,b\n,x\n"))
    assert raw.data.column("a").to_pylist() == [None]


def test_trailing_unnamed_empty_column_and_blank_rows_are_ignored(tmp_path: Path) -> None:
    raw = read_file(write(tmp_path, "t.csv", "a;b;\n1;2;\n;;\n3;4;\n"))
    assert raw.columns == ["a", "b"]
    assert raw.lines.to_pylist() == [2, 4]


def test_french_windows_file(tmp_path: Path) -> None:
    raw = read_file(FIXTURES / "spend_fr_cp1252.csv")
    assert raw.columns[-1] == "Commentaire"
    assert raw.lines.to_pylist() == [2, 4, 5]
    assert raw.data.column("Commentaire")[0].as_py() == "Lancement; phase 1\r\nsuite"
    assert raw.data.column("Cost").to_pylist()[0] == "1\u00a0234,56 €"
    assert raw.data.column("Campaign Name")[1].as_py() == "Été"


def test_utf8_bom_and_latin1(tmp_path: Path) -> None:
    assert read_file(FIXTURES / "spend_utf8_bom.csv").columns[0] == "Date"
    raw = read_file(FIXTURES / "people_latin1.csv")
    assert raw.data.column("country").to_pylist() == ["Fédération", "Côte d'Ivoire"]


def test_parquet_values_become_text(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    table = pa.table({"n": [1, None], "x": [1.5, 2.0], "tags": [["a"], []], "s": ["", "b"]})
    pq.write_table(table, path)
    raw = read_file(path)
    assert raw.lines.to_pylist() == [2, 3]
    assert raw.data.column("n").to_pylist() == ["1", None]
    assert raw.data.column("x").to_pylist() == ["1.5", "2"]
    assert raw.data.column("tags").to_pylist() == ['["a"]', "[]"]
    assert raw.data.column("s").to_pylist() == [None, "b"]


def test_json_list_and_data_envelope(tmp_path: Path) -> None:
    records = [{"a": 1, "b": {"k": [1]}}, {"a": True, "c": ""}]
    plain = read_file(write(tmp_path, "t.json", json.dumps(records, indent=1)))
    assert plain.columns == ["a", "b", "c"]
    assert plain.data.column("a").to_pylist() == ["1", "true"]
    assert plain.data.column("b").to_pylist() == ['{"k": [1]}', None]
    assert plain.data.column("c").to_pylist() == [None, None]
    assert plain.lines.to_pylist() == [2, 10]
    meta = {"paging": {"next": "x"}, "data": records}
    wrapped = read_file(write(tmp_path, "m.json", json.dumps(meta)))
    assert wrapped.data.column("a").to_pylist() == ["1", "true"]
    assert wrapped.lines.to_pylist() == [1, 1]


def test_json_lines(tmp_path: Path) -> None:
    raw = read_file(write(tmp_path, "t.ndjson", '{"a": 1}\n\n{"a": "x", "b": [1, 2]}\n'))
    assert raw.lines.to_pylist() == [1, 3]
    assert raw.data.column("b").to_pylist() == [None, "[1, 2]"]


# One test per unreadable case: the error names the line (when there is one) and a fix.


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        read_file(tmp_path / "nope.csv")
    _, rule, fix = only_error(exc)
    assert "does not exist" in rule and "path" in fix


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        read_file(tmp_path)
    assert "folder" in only_error(exc)[1]


@pytest.mark.parametrize("content", ["", "\n\n  \n"])
def test_empty_file(tmp_path: Path, content: str) -> None:
    with pytest.raises(InputError) as exc:
        read_file(write(tmp_path, "t.csv", content))
    assert "empty" in only_error(exc)[1]


def test_no_header(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        read_file(write(tmp_path, "t.csv", ",,\n,,\n"))
    assert "no header" in only_error(exc)[1]


def test_duplicate_header_after_normalising(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        read_file(write(tmp_path, "t.csv", "Cost,cost \n1,2\n"))
    line, rule, fix = only_error(exc)
    assert line == 1 and "same name" in rule and "rename" in fix
    assert exc.value.errors[0].column == "cost "


def test_unnamed_column_with_values(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        read_file(write(tmp_path, "t.csv", "a,,b\n1,2,3\n"))
    line, rule, fix = only_error(exc)
    assert line == 1 and "column 2 has no name" in rule and "name" in fix


def test_record_with_more_fields(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        read_file(write(tmp_path, "t.csv", "a;b\n1;2\n1;2;3\n"))
    line, rule, fix = only_error(exc)
    assert line == 3 and "3 fields but the header has 2" in rule and "quotes" in fix


def test_record_with_fewer_fields(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        read_file(write(tmp_path, "t.csv", "a,b,c\n1,2,3\n1,2\n"))
    line, rule, fix = only_error(exc)
    assert line == 3 and "2 fields but the header has 3" in rule and "3 fields" in fix


def test_every_bad_record_is_listed(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        read_file(write(tmp_path, "t.csv", "a,b\n1\n2,3\n4,5,6\n"))
    assert [e.line for e in exc.value.errors] == [2, 4]


def test_undecodable_bytes(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        read_file(write(tmp_path, "t.csv", b"a,b\n1,\x80\n2,\x81\n"))
    line, rule, fix = only_error(exc)
    assert line == 3 and "0x81" in rule and "UTF-8" in fix


def test_binary_or_utf16_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        read_file(write(tmp_path, "t.csv", "a,b\n1,2\n".encode("utf-16")))
    assert "not a text file" in only_error(exc)[1]


@pytest.mark.parametrize("name", ["t.xlsx", "t.pdf"])
def test_unsupported_extension(tmp_path: Path, name: str) -> None:
    with pytest.raises(InputError) as exc:
        read_file(write(tmp_path, name, b"PK\x03\x04"))
    assert "cannot be read" in only_error(exc)[1]


def test_unknown_binary_extension(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        read_file(write(tmp_path, "t.docx", b"PK\x03\x04\x00\x00"))
    assert "not a text file" in only_error(exc)[1]


def test_broken_parquet(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        read_file(write(tmp_path, "t.parquet", b"not parquet"))
    assert "Parquet" in only_error(exc)[1]


def test_bad_json_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        read_file(write(tmp_path, "t.json", '[\n{"a": 1},\n{"a": }\n]'))
    assert only_error(exc)[0] == 3
    with pytest.raises(InputError) as exc:
        read_file(write(tmp_path, "t.jsonl", '{"a": 1}\n[1]\n'))
    line, rule, _ = only_error(exc)
    assert line == 2 and "not a JSON object" in rule
    with pytest.raises(InputError) as exc:
        read_file(write(tmp_path, "e.json", '{"items": []}'))
    assert '"data"' in only_error(exc)[1]
