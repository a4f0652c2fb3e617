"""The ``site-builder`` command line: check, import, new, schema; exit codes and output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from site_builder.cli import SUBCOMMANDS, main
from site_builder.config import RegistryConfig, read_config
from site_builder.importer import page_text
from site_builder.load import read_record
from site_builder.model import Record
from site_builder.recordtext import record_text
from site_builder.scaffold import scaffold_record
from site_builder.schema import schema_text

BAD_RECORDS = Path(__file__).parent / "bad_records"
CASES = sorted(p.name for p in BAD_RECORDS.iterdir() if (p / "expected.txt").is_file())
CONFIG = RegistryConfig()

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    """``run("check", "--quiet")``: (exit code, stdout, stderr) of the command, in-process."""

    def run_command(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run_command


def valid(config: RegistryConfig, record_id: str = "rec-1") -> Record:
    record = scaffold_record(record_id, config)
    assert isinstance(record, Record)
    return record


def write_page(directory: Path, record: Record, name: str = "") -> Path:
    path = directory / (name or f"{record.id}.txt")
    path.write_text(page_text(record), encoding="utf-8")
    return path


# --- check ---------------------------------------------------------------------------------------


def test_check_of_valid_records_prints_a_summary_and_exits_0(write_record: Callable[..., Path], run: Run) -> None:
    write_record("rec-1")
    write_record("rec-2")
    assert run("check") == (0, "checked 2 records in records/: all valid\n", "")


def test_check_quiet_prints_nothing_when_valid(write_record: Callable[..., Path], run: Run) -> None:
    write_record("rec-1")
    assert run("check", "--quiet") == (0, "", "")


def test_check_prints_every_problem_to_stderr_and_exits_1(
    project: Path, write_record: Callable[..., Path], run: Run
) -> None:
    write_record("rec-1", lambda d: d["tier"].update(name="Watch list"))
    write_record("rec-2", lambda d: d.pop("title"))
    write_record("rec-3")
    code, out, err = run("check")
    assert code == 1
    assert err.splitlines() == [
        "records/rec-1.md:13: tier.name: unknown tier 'Watch list' "
        "(did you mean 'Watchlist'? known: 'DOI grade', 'Watchlist')",
        "records/rec-2.md:2: title: missing (required field)",
    ]
    assert out == "checked 3 records in records/: 2 problems in 2 files\n"


def test_check_quiet_still_prints_the_problems(project: Path, write_record: Callable[..., Path], run: Run) -> None:
    write_record("rec-1", lambda d: d.pop("title"))
    assert run("check", "-q") == (1, "", "records/rec-1.md:2: title: missing (required field)\n")


def test_check_reads_the_records_directory_given(tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "rec-1.md").write_text(record_text(valid(CONFIG)), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run("check", "--records", "elsewhere") == (0, "checked 1 record in elsewhere/: all valid\n", "")


def test_check_of_a_missing_records_directory_exits_1(project: Path, run: Run) -> None:
    assert run("check", "--records", "nope") == (
        1,
        "checked 0 records in nope/: 1 problem in 1 file\n",
        "nope:1: (records): the records directory does not exist (a directory of <id>.md files)\n",
    )


def test_check_of_an_unreadable_configuration_exits_1(project: Path, run: Run) -> None:
    (project / "mkdocs.yml").write_text("site_name: [unclosed\n", encoding="utf-8")
    code, out, err = run("check")
    assert (code, out) == (1, "")
    assert err.startswith("mkdocs.yml:2: (file): cannot read configuration: ")


def test_check_uses_the_configured_vocabularies(project: Path, write_record: Callable[..., Path], run: Run) -> None:
    write_record("rec-1", lambda d: d["tier"].update(name="Gold"))
    (project / "mkdocs.yml").write_text(
        "plugins:\n  - registry:\n      tiers: [{name: Gold}, {name: Silver}]\n", encoding="utf-8"
    )
    assert run("check") == (0, "checked 1 record in records/: all valid\n", "")


@pytest.mark.parametrize("case", CASES)
def test_bad_records_corpus(case: str, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each tests/bad_records/<case>/ holds bad record files and the exact problems check prints for them."""
    folder = BAD_RECORDS / case
    monkeypatch.chdir(folder)
    expected = (folder / "expected.txt").read_text(encoding="utf-8").splitlines()
    code, out, err = run("check")
    assert code == 1
    assert expected, "a case must expect at least one problem"
    assert err.splitlines() == expected
    if out:  # the summary counts them (there is none when the configuration itself is bad)
        assert f": {len(expected)} problem" in out


def test_committed_records_pass_check(repo: Path, monkeypatch: pytest.MonkeyPatch, run: Run) -> None:
    monkeypatch.chdir(repo)
    code, out, err = run("check")
    assert (code, err) == (0, "")
    assert out.endswith(" in records/: all valid\n")


def test_check_reports_a_file_system_error_without_a_traceback(
    project: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreadable(config: RegistryConfig) -> None:
        raise PermissionError(13, "Permission denied", str(project / "records"))

    monkeypatch.setattr("site_builder.load.load_records", unreadable)
    assert run("check") == (1, "", "records:1: (file): cannot use the file: Permission denied\n")


# --- usage ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv", [[], ["frobnicate"], ["check", "--bogus"], ["import"], ["check", "--records"]], ids=str
)
def test_bad_usage_exits_2(argv: list[str], run: Run) -> None:
    code, _, err = run(*argv)
    assert code == 2
    assert err.startswith("usage: site-builder")


def test_help_exits_0(run: Run) -> None:
    code, out, _ = run("--help")
    assert code == 0
    assert all(subcommand.name in out for subcommand in SUBCOMMANDS)


def test_console_script_reports_bad_input_without_a_traceback(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "site-builder"
    (tmp_path / "records").mkdir()
    (tmp_path / "records" / "x.md").write_bytes(b"\xff\xfe")
    result = subprocess.run([str(script), "check"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert (result.returncode, result.stderr) == (
        1,
        "records/x.md:1: (file): not UTF-8: byte 0xff cannot be decoded (a UTF-8 text file)\n",
    )


# --- import --------------------------------------------------------------------------------------


def test_import_writes_the_record_file_and_prints_a_summary(project: Path, config: RegistryConfig, run: Run) -> None:
    record = valid(config, "abc")
    page = write_page(project, record, "007_abc.txt")
    assert run("import", str(page)) == (0, "imported 1 record into records/\n", "")
    assert (project / "records" / "abc.md").read_text(encoding="utf-8") == record_text(record)


def test_imported_records_pass_check(project: Path, config: RegistryConfig, run: Run) -> None:
    pages = [write_page(project, valid(config, f"rec-{n}")) for n in range(3)]
    assert run("import", *map(str, pages))[0] == 0
    assert run("check") == (0, "checked 3 records in records/: all valid\n", "")


def test_import_refuses_to_overwrite_an_existing_record(project: Path, config: RegistryConfig, run: Run) -> None:
    existing = project / "records" / "rec-1.md"
    existing.write_text("hand-edited\n", encoding="utf-8")
    page = write_page(project, valid(config))
    assert run("import", "rec-1.txt") == (
        1,
        "",
        "rec-1.txt:1: id: records/rec-1.md already exists (--force to overwrite it, or a page for a new record)\n",
    )
    assert existing.read_text(encoding="utf-8") == "hand-edited\n"
    assert page.exists()


def test_import_force_overwrites_an_existing_record(project: Path, config: RegistryConfig, run: Run) -> None:
    existing = project / "records" / "rec-1.md"
    existing.write_text("hand-edited\n", encoding="utf-8")
    write_page(project, valid(config))
    assert run("import", "--force", "rec-1.txt") == (0, "imported 1 record into records/ (1 replaced)\n", "")
    assert existing.read_text(encoding="utf-8") == record_text(valid(config))


def test_import_writes_nothing_when_one_page_is_bad(project: Path, config: RegistryConfig, run: Run) -> None:
    good = [write_page(project, valid(config, f"rec-{n}")) for n in (1, 2)]
    bad = project / "rec-3.txt"
    bad.write_text(page_text(valid(config, "rec-3")).replace("| Tier |", "| Tierr |"), encoding="utf-8")
    missing = project / "rec-4.txt"
    code, out, err = run("import", str(good[0]), "rec-3.txt", "rec-4.txt", str(good[1]))
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "rec-3.txt:17: tier: unknown row 'Tierr' in section 'Quality Tier' (did you mean 'Tier'? rows: Tier, Basis)",
        "rec-4.txt:1: (file): cannot read the page: No such file or directory",
    ]
    assert not missing.exists()
    assert os.listdir(project / "records") == []


def test_import_refuses_two_pages_for_one_record(project: Path, config: RegistryConfig, run: Run) -> None:
    text = page_text(valid(config))
    (project / "001_rec-1.txt").write_text(text, encoding="utf-8")
    (project / "002_rec-1.txt").write_text(text, encoding="utf-8")
    assert run("import", "001_rec-1.txt", "002_rec-1.txt") == (
        1,
        "",
        "002_rec-1.txt:1: id: record 'rec-1' is also imported from 001_rec-1.txt (one page per record)\n",
    )
    assert os.listdir(project / "records") == []


def test_import_refuses_a_record_whose_id_another_record_claims_as_alias(
    project: Path, config: RegistryConfig, write_record: Callable[..., Path], run: Run
) -> None:
    write_record("old", lambda d: d.update(aliases=["rec-1"]))
    write_page(project, valid(config))
    assert run("import", "rec-1.txt") == (
        1,
        "",
        "records/old.md:37: aliases[0]: after the import: "
        "alias 'rec-1' is the id of records/rec-1.md (a free address)\n",
    )
    assert not (project / "records" / "rec-1.md").exists()


def test_import_creates_the_records_directory(tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_page(tmp_path, valid(CONFIG))
    assert run("import", "rec-1.txt", "--records", "new/records") == (0, "imported 1 record into new/records/\n", "")
    assert (tmp_path / "new" / "records" / "rec-1.md").is_file()


def test_import_leaves_no_temporary_files_and_ordinary_permissions(
    project: Path, config: RegistryConfig, run: Run
) -> None:
    write_page(project, valid(config))
    run("import", "rec-1.txt", "--quiet")
    assert os.listdir(project / "records") == ["rec-1.md"]
    umask = os.umask(0)
    os.umask(umask)
    assert (project / "records" / "rec-1.md").stat().st_mode & 0o777 == 0o666 & ~umask


def test_import_quiet_prints_nothing(project: Path, config: RegistryConfig, run: Run) -> None:
    write_page(project, valid(config))
    assert run("import", "-q", "rec-1.txt") == (0, "", "")


# --- new -----------------------------------------------------------------------------------------


def test_new_record_passes_check(project: Path, run: Run) -> None:
    code, out, err = run("new")
    assert (code, err) == (0, "")
    path = Path(out.strip())
    assert path.parent == Path("records")
    assert len(path.stem) == 16 and int(path.stem, 16) >= 0
    assert run("check") == (0, "checked 1 record in records/: all valid\n", "")


def test_new_record_with_configured_vocabularies_passes_check(project: Path, run: Run) -> None:
    (project / "mkdocs.yml").write_text(
        "plugins:\n"
        "  - registry:\n"
        "      tiers: [{name: Gold, description: Best.}]\n"
        "      gate_statuses: [{name: Proven, requires_artifact: true}, {name: Open}]\n"
        "      dimension_levels: [A, B]\n"
        "      correction_statuses: [OK]\n"
        "      contracts: [c-1]\n",
        encoding="utf-8",
    )
    assert run("new", "rec-1")[0] == 0
    assert run("check") == (0, "checked 1 record in records/: all valid\n", "")
    record = read_record(project / "records" / "rec-1.md", read_config(project / "mkdocs.yml"))
    assert isinstance(record, Record)
    assert (record.tier.name, record.gate.status, record.dimensions.evidence_strength) == ("Gold", "Open", "A")
    assert (record.correction.manifest_contract, record.provenance.provenance_contract) == ("c-1", "c-1")


def test_new_record_uses_the_id_and_title_given(project: Path, run: Run, config: RegistryConfig) -> None:
    assert run("new", "my-record", "--title", "A title") == (0, "records/my-record.md\n", "")
    record = read_record(project / "records" / "my-record.md", config)
    assert isinstance(record, Record)
    assert (record.id, record.title) == ("my-record", "A title")


def test_new_refuses_to_overwrite(project: Path, run: Run) -> None:
    (project / "records" / "rec-1.md").write_text("mine\n", encoding="utf-8")
    assert run("new", "rec-1") == (1, "", "records/rec-1.md:1: (file): the record already exists (a new id)\n")
    assert (project / "records" / "rec-1.md").read_text(encoding="utf-8") == "mine\n"


def test_new_refuses_an_invalid_id(project: Path, run: Run) -> None:
    assert run("new", "Bad_ID") == (
        1,
        "",
        "records/Bad_ID.md:1: id: record id 'Bad_ID' is not valid "
        "(1-64 lowercase letters, digits, - and _, starting with a letter or digit)\n",
    )
    assert os.listdir(project / "records") == []


def test_new_refuses_when_every_gate_status_needs_an_artifact(project: Path, run: Run) -> None:
    (project / "mkdocs.yml").write_text(
        "plugins:\n  - registry:\n      gate_statuses: [{name: Proven, requires_artifact: true}]\n", encoding="utf-8"
    )
    code, _, err = run("new", "rec-1")
    assert code == 1
    assert err.startswith("records/rec-1.md:1: gate.status: every configured gate status requires an attached artifact")


# --- schema --------------------------------------------------------------------------------------


def test_schema_writes_the_generated_schema(project: Path, config: RegistryConfig, run: Run) -> None:
    assert run("schema", "--output", "out/record.schema.json") == (0, "wrote out/record.schema.json\n", "")
    written = (project / "out" / "record.schema.json").read_text(encoding="utf-8")
    assert written == schema_text(config)
    assert json.loads(written)["title"] == "Research Registry record"


def test_exiting_at_once_still_delivers_all_output_and_the_exit_code() -> None:
    lines = ["import sys", "from site_builder.exiting import exit_now", "print('built', end='')"]
    program = "\n".join([*lines, "sys.stderr.write('x' * 70000)", "exit_now(3)"])
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=False)
    assert (result.returncode, result.stdout, len(result.stderr)) == (3, "built", 70000)


def test_the_console_script_prints_a_subcommands_help_and_exits_0(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "site-builder"
    result = subprocess.run([str(script), "new", "--help"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode == 0 and "usage: site-builder new" in result.stdout


def test_exiting_at_once_with_output_that_cannot_be_flushed_says_so_in_the_exit_code() -> None:
    program = "import sys\nfrom site_builder.exiting import exit_now\nsys.stdout.close()\nexit_now(0)"
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=False)
    assert result.returncode == 120
