"""The banks' JSON Schema is itself valid JSON Schema (draft 2020-12), checked here once, not in every kernel; and a
bank that passed every check is not checked again in the next kernel until its bytes change."""

from __future__ import annotations

import json

import pytest

from course.quiz import bank


def test_the_bank_schema_is_valid_json_schema():
    jsonschema = bank._import_jsonschema()
    schema = json.loads(bank.SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)  # raises SchemaError, naming the problem, if not
    assert bank._validator().schema == schema


def _fail(*_args, **_kwargs):
    raise AssertionError("the checks ran again")


def test_a_bank_that_passed_is_not_checked_again_until_it_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "00_start_here.yaml"
    path.write_bytes((bank.banks_dir() / "00_start_here.yaml").read_bytes())
    first = bank.load_bank(path)
    assert len(list((tmp_path / "cache" / "checked-banks").iterdir())) == 1
    monkeypatch.setattr(bank, "_all_errors", _fail)
    again = bank.load_bank(path)  # the same bytes: no check
    assert again.ids == first.ids
    path.write_bytes(path.read_bytes() + b"\n# changed\n")
    with pytest.raises(AssertionError, match="ran again"):  # changed bytes: checked again
        bank.load_bank(path)


def test_a_bank_with_a_mistake_is_never_remembered(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "00_start_here.yaml"
    text = (bank.banks_dir() / "00_start_here.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("notebook: 00_start_here", "notebook: 00_elsewhere", 1), encoding="utf-8")
    for _ in range(2):  # the second time too: the mistake is found again
        with pytest.raises(bank.BankError):
            bank.load_bank(path)
    assert not (tmp_path / "cache" / "checked-banks").exists()


def test_an_unwritable_cache_only_means_checking_again(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go", encoding="utf-8")
    monkeypatch.setenv("COURSE_CACHE_DIR", str(blocker))
    path = tmp_path / "00_start_here.yaml"
    path.write_bytes((bank.banks_dir() / "00_start_here.yaml").read_bytes())
    assert bank.load_bank(path).ids == bank.load_bank(path).ids
