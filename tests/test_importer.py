"""The importer: published record pages -> records, refusing what it cannot map completely."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from site_builder.config import RegistryConfig
from site_builder.importer import SECTION_NOTES, display_value, import_page, page_id, page_text, parse_page
from site_builder.load import read_record
from site_builder.model import TABLE_SECTIONS, Record, section_rows, section_title
from site_builder.problems import Problem
from site_builder.recordtext import record_text

# The two pages of the public registry the records were imported from, byte for byte.
SEED_PAGES: dict[str, str] = {
    "000_9d868d69f2b01361.txt": (
        "Scalability of LSA Framework's In-Situ Tradeoff Calibration in Large Multimodal Models\n"
        "Abstract\n"
        "Abstract: Contrastive language-image pre-training, CLIP for short, has gained increasing "
        "attention for its potential in various scenarios. In this paper, we propose EVA-CLIP, a "
        "series of models that significantly improve the efficiency and effectiveness of CLIP "
        "training. Our approach incorporates new techniques for representation learning, "
        "optimization, and augmentation, enabling EVA-CLIP to achieve superior performance "
        "compared to previous CLIP models with the same number of parameters but significantly "
        "smaller training costs. Notably, our largest 5.0B-parameter EVA-02-CLIP-E/14+ with only 9 "
        "billion se\n"
        "Research Question\n"
        "To what extent does the LSA framework's in-situ tradeoff calibration scale to larger "
        "multimodal models (e.g., CLIP, BLIP-2) without significant computational overhead in "
        "terms of training time or memory usage?\n"
        "Verification Level\n"
        "| Paper level | L2, Source-grounded claims | |\n"
        "| Source-grounded claims | 20 | |\n"
        "| Claim record source | parsed source sections |\n"
        "Descriptive public verification status only; aggregate claim counts are public, but "
        "individual claim records are not exposed here.\n"
        "Truth-Engine Gate Verdict\n"
        "| Status | Unverified | |\n"
        "| Gate | Gate 2 — Verification (formal proof or sandbox reproduction) | |\n"
        "| Reason | Published before the Gate 2 verification pipeline was activated (2026-06-10). "
        "No formal proof or sandbox reproduction has been attempted for this record. |\n"
        "This record has not completed Gate 2 of the verification pipeline (a type-checked Lean4 "
        "proof for mathematical claims, or a sealed-sandbox reproduction for empirical claims). It "
        "is a literature synthesis only. VERIFIED requires an attached reproducible artifact "
        "(Lean4 proof source, or repro script and results) before this status can be set; it is "
        "not derived from review score or claim count.\n"
        "Quality Tier\n"
        "| Tier | DOI grade | |\n"
        "| Basis | Review score and verified-claim count meet DOI-grade public quality thresholds. |\n"
        "Descriptive public triage only; this tier does not alter current publication or DOI behavior.\n"
        "Quality Dimensions\n"
        "| Evidence strength | MEDIUM | |\n"
        "| Citation grounding | MEDIUM | |\n"
        "| Uncertainty disclosure | MEDIUM | |\n"
        "| Reproducibility status | MEDIUM |\n"
        "Automated triage signals derived from public fields; not human peer review or independent "
        "validation.\n"
        "Correction Record\n"
        "| Status | CURRENT |\n"
        "| Correction count | 0 |\n"
        "| Manifest contract | paper-manifest-v1.1 |\n"
        "| Correction contract | correction-record-v1 |\n"
        "Public corrections are additive records. Current status does not claim the synthesis is "
        "error-free.\n"
        "Provenance\n"
        "| Publisher | Assignee Research |\n"
        "| Public provenance | L3, Claim aggregate record |\n"
        "| Report artifact | Available |\n"
        "| External record | Not registered |\n"
        "| Claim lineage | 20 aggregate source-grounded claims |\n"
        "| Review method | Automated multi-reviewer assessment |\n"
        "| Quality guide | How to read scores, claims, manifests, and evidence links |\n"
        "| Provenance contract | source-provenance-v1 |\n"
        "| Note | Machine-generated synthesis of existing literature. Not primary research. |"
    ),
    "002_2191dae80a1ced4e.txt": (
        "What is the throughput trade-off (inference latency vs. accuracy) when scaling expert "
        "count in vision-language\n"
        "Abstract\n"
        "Abstract: As a fundamental and challenging task in bridging language and vision domains, "
        "Image-Text Retrieval (ITR) aims at searching for the target instances that are "
        "semantically relevant to the given query from the other modality, and its key challenge "
        "is to measure the semantic similarity across different modalities. Although significant "
        "progress has been achieved, existing approaches typically suffer from two major "
        "limitations: (1) It hurts the accuracy of the representation by directly exploiting the "
        "bottom-up attention based region-level features where each region is equally treated. (2) "
        "It limit\n"
        "Research Question\n"
        "What is the throughput trade-off (inference latency vs. accuracy) when scaling expert "
        "count in vision-language models evaluated on domain-shifted captioning datasets like "
        "Flickr30K to MSCOCO?\n"
        "Verification Level\n"
        "| Paper level | L2, Source-grounded claims | |\n"
        "| Source-grounded claims | 10 | |\n"
        "| Claim record source | parsed source sections |\n"
        "Descriptive public verification status only; aggregate claim counts are public, but "
        "individual claim records are not exposed here.\n"
        "Truth-Engine Gate Verdict\n"
        "| Status | Unverified | |\n"
        "| Gate | Gate 2 — Verification (formal proof or sandbox reproduction) | |\n"
        "| Reason | Published before the Gate 2 verification pipeline was activated (2026-06-10). "
        "No formal proof or sandbox reproduction has been attempted for this record. | |\n"
        "| Evaluated | 2026-06-10T06:30:49+00:00 |\n"
        "This record has not completed Gate 2 of the verification pipeline (a type-checked Lean4 "
        "proof for mathematical claims, or a sealed-sandbox reproduction for empirical claims). It "
        "is a literature synthesis only. VERIFIED requires an attached reproducible artifact "
        "(Lean4 proof source, or repro script and results) before this status can be set; it is "
        "not derived from review score or claim count.\n"
        "Quality Tier\n"
        "| Tier | Watchlist | |\n"
        "| Basis | Review score or public verified-claim signal is below DOI-grade threshold. |\n"
        "Descriptive public triage only; this tier does not alter current publication or DOI behavior.\n"
        "Quality Dimensions\n"
        "| Evidence strength | LOW | |\n"
        "| Citation grounding | MEDIUM | |\n"
        "| Uncertainty disclosure | MEDIUM | |\n"
        "| Reproducibility status | MEDIUM |\n"
        "Automated triage signals derived from public fields; not human peer review or independent "
        "validation.\n"
        "Correction Record\n"
        "| Status | CURRENT |\n"
        "| Correction count | 0 |\n"
        "| Manifest contract | paper-manifest-v1.1 |\n"
        "| Correction contract | correction-record-v1 |\n"
        "Public corrections are additive records. Current status does not claim the synthesis is "
        "error-free.\n"
        "Provenance\n"
        "| Publisher | Assignee Research |\n"
        "| Public provenance | L3, Claim aggregate record |\n"
        "| Report artifact | Available |\n"
        "| External record | Not registered |\n"
        "| Claim lineage | 10 aggregate source-grounded claims |\n"
        "| Review method | Automated multi-reviewer assessment |\n"
        "| Quality guide | How to read scores, claims, manifests, and evidence links |\n"
        "| Provenance contract | source-provenance-v1 |\n"
        "| Note | Machine-generated synthesis of existing literature. Not primary research. |"
    ),
}

SEEDS = sorted(SEED_PAGES)
PAGE = SEED_PAGES["002_2191dae80a1ced4e.txt"]  # the seed with every row, including "Evaluated"
PAGE_ID = "2191dae80a1ced4e"
CONFIG = RegistryConfig()
ALL_SECTIONS = (
    "Abstract, Research Question, Verification Level, Truth-Engine Gate Verdict, Quality Tier, "
    "Quality Dimensions, Correction Record, Provenance"
)


def seed_id(name: str) -> str:
    return name.split("_", 1)[1].removesuffix(".txt")


def imported(text: str, record_id: str = PAGE_ID) -> Record:
    result = parse_page(text, record_id, source="page.txt", config=CONFIG)
    assert isinstance(result, Record), "\n".join(map(str, result))
    return result


def refused(text: str, record_id: str = PAGE_ID) -> list[str]:
    result = parse_page(text, record_id, source="page.txt", config=CONFIG)
    assert isinstance(result, list), "the page was imported"
    assert result, "a refusal without problems"
    return [str(p) for p in result]


def changed(old: str, new: str, text: str = PAGE) -> str:
    assert text.count(old) == 1, f"{old!r} is not once in the page"
    return text.replace(old, new)


def page_table(text: str) -> list[tuple[str, str, str]]:
    """(section title, label, value) of every row of a page, read independently of the importer."""
    titles = {section_title(model) for _, model in TABLE_SECTIONS}
    rows, section = [], ""
    for line in text.splitlines():
        line = line.strip()
        if line in titles:
            section = line
        elif line.startswith("|"):
            cells = [cell.strip() for cell in line[1:-1].split("|")]
            if cells[-1] == "":
                cells.pop()
            label, value = cells
            rows.append((section, label, value))
    return rows


def record_table(record: Record) -> list[tuple[str, str, str]]:
    """(section title, label, value) of every row the record's page shows, from the model's labels."""
    rows = []
    for name, model in TABLE_SECTIONS:
        for field, label in section_rows(model):
            value = getattr(getattr(record, name), field)
            if value is not None:
                rows.append((section_title(model), label, display_value(value)))
    return rows


# --- the seeds -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SEEDS)
def test_seed_file_name_carries_the_record_id(name: str) -> None:
    assert page_id(name) == seed_id(name)


@pytest.mark.parametrize("name", SEEDS)
def test_seed_keeps_every_label_and_value(name: str) -> None:
    text = SEED_PAGES[name]
    record = imported(text, seed_id(name))
    fields = {
        (section_title(model), label): (section, field)
        for section, model in TABLE_SECTIONS
        for field, label in section_rows(model)
    }
    table = page_table(text)
    assert len(table) >= 25  # every required row of the six sections
    for section, label, value in table:
        section_name, field = fields[(section, label)]
        assert display_value(getattr(getattr(record, section_name), field)) == value, (section, label)


@pytest.mark.parametrize("name", SEEDS)
def test_seed_keeps_title_abstract_and_question_verbatim(name: str) -> None:
    lines = SEED_PAGES[name].split("\n")
    record = imported(SEED_PAGES[name], seed_id(name))
    assert (record.title, record.abstract, record.research_question) == (lines[0], lines[2], lines[4])
    assert record.abstract.startswith("Abstract: ")


@pytest.mark.parametrize("name", SEEDS)
def test_seed_rows_regenerated_from_the_record_equal_the_page_rows(name: str) -> None:
    record = imported(SEED_PAGES[name], seed_id(name))
    assert record_table(record) == page_table(SEED_PAGES[name])


@pytest.mark.parametrize("name", SEEDS)
def test_seed_record_file_reads_back_as_the_same_record(name: str, tmp_path: Path) -> None:
    record = imported(SEED_PAGES[name], seed_id(name))
    path = tmp_path / f"{record.id}.md"
    path.write_text(record_text(record), encoding="utf-8")
    assert read_record(path, CONFIG) == record


@pytest.mark.parametrize("name", SEEDS)
def test_seed_page_regenerated_from_the_record_imports_as_the_same_record(name: str) -> None:
    record = imported(SEED_PAGES[name], seed_id(name))
    assert page_table(page_text(record)) == page_table(SEED_PAGES[name])
    assert imported(page_text(record), record.id) == record


def test_seed_without_evaluated_row_has_no_evaluated_time() -> None:
    assert imported(SEED_PAGES["000_9d868d69f2b01361.txt"], "9d868d69f2b01361").gate.evaluated is None


def test_import_page_reads_the_id_from_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "002_2191dae80a1ced4e.txt"
    path.write_text(PAGE, encoding="utf-8")
    record = import_page(path, CONFIG)
    assert isinstance(record, Record)
    assert record.id == "2191dae80a1ced4e"


def test_page_named_by_the_id_alone_gives_that_id() -> None:
    assert page_id("records/abc-1.txt") == "abc-1"


# --- variants that import identically ----------------------------------------------------------


@pytest.mark.parametrize("name", SEEDS)
def test_crlf_seed_imports_identically(name: str) -> None:
    text = SEED_PAGES[name]
    assert imported(text.replace("\n", "\r\n"), seed_id(name)) == imported(text, seed_id(name))


@pytest.mark.parametrize("name", SEEDS)
def test_cr_only_seed_imports_identically(name: str) -> None:
    text = SEED_PAGES[name]
    assert imported(text.replace("\n", "\r"), seed_id(name)) == imported(text, seed_id(name))


@pytest.mark.parametrize("name", SEEDS)
def test_seed_with_stray_whitespace_around_cells_and_lines_imports_identically(name: str) -> None:
    text = SEED_PAGES[name]
    spaced = "\n".join(
        "  \t" + line.replace("|", "  |\t ") + " \t" if line.startswith("|") else f"  {line}\t "
        for line in text.split("\n")
    )
    assert spaced != text
    assert imported(spaced, seed_id(name)) == imported(text, seed_id(name))


@pytest.mark.parametrize("name", SEEDS)
def test_seed_with_blank_lines_everywhere_imports_identically(name: str) -> None:
    text = SEED_PAGES[name]
    assert imported("\n\n" + text.replace("\n", "\n\n") + "\n\n", seed_id(name)) == imported(text, seed_id(name))


@pytest.mark.parametrize("name", SEEDS)
def test_seed_with_crlf_whitespace_and_blank_lines_together_imports_identically(name: str) -> None:
    text = SEED_PAGES[name]
    messy = "\r\n".join(f" {line} \r\n" for line in text.split("\n"))
    assert imported(messy, seed_id(name)) == imported(text, seed_id(name))


def test_byte_order_mark_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "2191dae80a1ced4e.txt"
    path.write_bytes(b"\xef\xbb\xbf" + PAGE.encode("utf-8"))
    assert import_page(path, CONFIG) == imported(PAGE)


def test_note_wrapped_over_two_lines_is_still_the_known_note() -> None:
    wrapped = changed("only; this tier", "only;\n   this tier")
    assert imported(wrapped) == imported(PAGE)


def test_page_without_notes_imports_identically() -> None:
    notes = [note for notes in SECTION_NOTES.values() for note in notes]
    bare = "\n".join(line for line in PAGE.split("\n") if line not in notes)
    assert imported(bare) == imported(PAGE)


def test_rows_in_another_order_import_identically() -> None:
    swapped = changed(
        "| Tier | Watchlist | |\n"
        "| Basis | Review score or public verified-claim signal is below DOI-grade threshold. |",
        "| Basis | Review score or public verified-claim signal is below DOI-grade threshold. |\n| Tier | Watchlist |",
    )
    assert imported(swapped) == imported(PAGE)


# --- refusals ----------------------------------------------------------------------------------------


def test_unknown_label_is_refused_naming_the_closest_label() -> None:
    assert refused(changed("| Tier | Watchlist", "| Tierr | Watchlist")) == [
        "page.txt:18: tier: unknown row 'Tierr' in section 'Quality Tier' (did you mean 'Tier'? rows: Tier, Basis)"
    ]


def test_label_in_another_case_is_refused() -> None:
    assert refused(changed("| Basis |", "| basis |")) == [
        "page.txt:19: tier: unknown row 'basis' in section 'Quality Tier' (did you mean 'Basis'? rows: Tier, Basis)"
    ]


def test_missing_section_is_refused() -> None:
    assert refused(changed("Quality Tier\n", "")) == [
        "page.txt:20: tier: missing section 'Quality Tier': it belongs before line 20 "
        f"(sections in the order {ALL_SECTIONS})"
    ]


def test_missing_last_section_is_refused_at_the_end_of_the_page() -> None:
    truncated = PAGE[: PAGE.index("Provenance\n")]
    assert refused(truncated) == [
        "page.txt:33: provenance: missing section 'Provenance': it belongs at the end of the page "
        f"(sections in the order {ALL_SECTIONS})"
    ]


def test_section_out_of_order_is_refused() -> None:
    moved = changed("Quality Tier\n", "").replace("Correction Record\n", "Quality Tier\nCorrection Record\n")
    assert refused(moved)[0] == (
        "page.txt:26: tier: section 'Quality Tier' comes after 'Quality Dimensions' "
        f"(sections in the order {ALL_SECTIONS})"
    )


def test_section_given_twice_is_refused() -> None:
    assert refused(PAGE + "\nQuality Tier\n| Tier | Watchlist |\n") == [
        "page.txt:43: tier: section 'Quality Tier' appears twice (first on line 17) (once)"
    ]


def test_missing_row_is_refused() -> None:
    without_basis = changed(
        "| Basis | Review score or public verified-claim signal is below DOI-grade threshold. |\n", ""
    )
    assert refused(without_basis) == [
        "page.txt:17: tier.basis: missing row 'Basis' in section 'Quality Tier' (a row '| Basis | <value> |')"
    ]


def test_duplicate_row_is_refused() -> None:
    assert refused(changed("| Basis |", "| Tier | DOI grade |\n| Basis |")) == [
        "page.txt:19: tier.name: row 'Tier' appears twice in section 'Quality Tier' (first on line 18) (each row once)"
    ]


def test_row_with_a_third_nonempty_cell_is_refused() -> None:
    assert refused(changed("| Status | Unverified | |", "| Status | Unverified | yes |")) == [
        "page.txt:12: gate: malformed row in section 'Truth-Engine Gate Verdict': '| Status | Unverified | yes |' "
        "('| Label | Value |'; a third cell may follow only if empty, and a value cannot contain '|')"
    ]


def test_row_without_closing_bar_is_refused() -> None:
    assert refused(changed("| Tier | Watchlist | |", "| Tier | Watchlist")) == [
        "page.txt:18: tier: malformed row in section 'Quality Tier': '| Tier | Watchlist' "
        "('| Label | Value |'; a third cell may follow only if empty, and a value cannot contain '|')"
    ]


def test_unknown_note_text_is_refused() -> None:
    assert refused(changed("Descriptive public triage only;", "Descriptive public triage, only;")) == [
        "page.txt:20: tier: unexpected text in section 'Quality Tier': "
        "'Descriptive public triage, only; this tier does not alter c…' "
        "(only '| Label | Value |' rows and the section's standard note)"
    ]


def test_note_of_another_section_is_refused() -> None:
    tier_note = SECTION_NOTES["tier"][0]
    dimensions_note = SECTION_NOTES["dimensions"][0]
    assert refused(changed(tier_note, dimensions_note, PAGE.replace(dimensions_note, "")))[0].startswith(
        "page.txt:20: tier: unexpected text in section 'Quality Tier': 'Automated triage"
    )


def test_text_after_provenance_is_refused() -> None:
    assert refused(PAGE + "\nShare this record\n") == [
        "page.txt:43: provenance: unexpected text in section 'Provenance': 'Share this record' "
        "(only '| Label | Value |' rows; section 'Provenance' has no note)"
    ]


def test_row_after_the_note_is_refused() -> None:
    moved = changed("| Basis | Review score or public verified-claim signal is below DOI-grade threshold. |\n", "")
    moved = changed("DOI behavior.\n", "DOI behavior.\n| Basis | Late |\n", moved)
    assert refused(moved) == [
        "page.txt:17: tier.basis: missing row 'Basis' in section 'Quality Tier' (a row '| Basis | <value> |')",
        "page.txt:20: tier: a row after the note of section 'Quality Tier' cannot be placed: '| Basis | Late |' "
        "(all rows of a section before its note)",
    ]


def test_text_between_title_and_abstract_is_refused() -> None:
    assert refused("Subtitle\n" + PAGE)[0] == (
        "page.txt:2: title: text between the title and 'Abstract' cannot be placed: "
        "'What is the throughput trade-off (inference latency vs. acc…' "
        "(the title on one line, then the line 'Abstract')"
    )


def test_verified_without_artifact_is_refused() -> None:
    assert refused(changed("| Status | Unverified", "| Status | Verified")) == [
        "page.txt:12: gate.status: status 'Verified' requires an attached artifact, and the record has none "
        "(an 'artifacts' entry: Lean4 proof source, or repro script and results)"
    ]


def test_unknown_tier_is_refused_naming_the_closest_tier() -> None:
    assert refused(changed("| Tier | Watchlist", "| Tier | Watch list")) == [
        "page.txt:18: tier.name: unknown tier 'Watch list' (did you mean 'Watchlist'? known: 'DOI grade', 'Watchlist')"
    ]


def test_number_that_would_be_rewritten_is_refused() -> None:
    assert refused(changed("| 10 |", "| 010 |")) == [
        "page.txt:8: verification.source_grounded_claims: '010' would be stored and published as '10' "
        "(write it as '10')"
    ]


def test_time_in_another_notation_is_refused() -> None:
    assert refused(changed("06:30:49+00:00", "06:30:49Z")) == [
        "page.txt:15: gate.evaluated: '2026-06-10T06:30:49Z' would be stored and published as "
        "'2026-06-10T06:30:49+00:00' (write it as '2026-06-10T06:30:49+00:00')"
    ]


def test_time_without_zone_is_refused() -> None:
    assert refused(changed("06:30:49+00:00", "06:30:49")) == [
        "page.txt:15: gate.evaluated: must include a time zone, e.g. 2026-06-10T06:30:49+00:00"
    ]


def test_count_that_is_not_a_number_is_refused() -> None:
    assert refused(changed("| 10 |", "| ten |")) == [
        "page.txt:8: verification.source_grounded_claims: 'ten' is the wrong type or value (a whole number)"
    ]


def test_empty_value_is_refused() -> None:
    assert refused(changed("| Publisher | Assignee Research |", "| Publisher |  |")) == [
        "page.txt:34: provenance.publisher: must not be empty"
    ]


def test_correction_count_without_entries_is_refused() -> None:
    assert refused(changed("| Correction count | 0 |", "| Correction count | 2 |")) == [
        "page.txt:29: correction.count: correction count is 2 but 0 correction entries are listed (count: 0)"
    ]


def test_prose_line_that_would_start_a_record_section_is_refused() -> None:
    assert refused(changed("Abstract: As a", "## As a"))[0].startswith(
        "page.txt:3: abstract: a line starting with '## ' cannot be stored: it would start a section"
    )


def test_empty_abstract_is_refused() -> None:
    lines = PAGE.split("\n")
    assert refused("\n".join(lines[:2] + lines[3:])) == [
        "page.txt:2: abstract: the 'Abstract' section is empty (its text after the line 'Abstract')"
    ]


def test_empty_page_is_refused() -> None:
    assert refused(" \n\r\n") == [
        "page.txt:1: (file): the page is empty (title line, 'Abstract', 'Research Question', then the table sections)"
    ]


def test_invalid_id_is_refused() -> None:
    assert refused(PAGE, "../x") == [
        "page.txt:1: id: record id '../x' is not valid (1-64 lowercase letters, digits, - and _, "
        "starting with a letter or digit; pages are named NNN_<id>.txt or <id>.txt)"
    ]


def test_page_file_name_without_an_id_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    result = import_page(path, CONFIG, "page.html")
    assert isinstance(result, list)
    assert [str(p) for p in result] == [
        "page.html:1: id: cannot take a record id from the file name 'page.html' "
        "(a page file named NNN_<id>.txt or <id>.txt)"
    ]


def test_binary_page_is_refused() -> None:
    result = import_page(Path("001_abc.txt"), CONFIG, raw=b"Title\nAbstract\x00\n")
    assert result == [Problem("001_abc.txt", 2, "(file)", "binary file: contains a NUL byte", "a UTF-8 text file")]


def test_non_utf8_page_is_refused() -> None:
    result = import_page(Path("001_abc.txt"), CONFIG, raw=b"Title\nAbstract\n\xff\n")
    assert result == [
        Problem("001_abc.txt", 3, "(file)", "not UTF-8: byte 0xff cannot be decoded", "a UTF-8 text file")
    ]


def test_unreadable_page_is_refused(tmp_path: Path) -> None:
    result = import_page(tmp_path / "missing.txt", CONFIG, "missing.txt")
    assert result == [Problem("missing.txt", 1, "(file)", "cannot read the page: No such file or directory")]


def test_problem_prints_as_path_line_field_message_expected() -> None:
    (problem,) = parse_page(changed("| Tier | Watchlist", "| Tier | DOI Grade"), PAGE_ID, source="pages/002_x.txt")
    assert isinstance(problem, Problem)
    assert (problem.path, problem.line, problem.field) == ("pages/002_x.txt", 18, "tier.name")
    assert str(problem) == (
        "pages/002_x.txt:18: tier.name: unknown tier 'DOI Grade' "
        "(did you mean 'DOI grade'? known: 'DOI grade', 'Watchlist')"
    )


def test_all_problems_of_a_page_are_reported_together() -> None:
    broken = changed("| Tier | Watchlist", "| Tierr | Watchlist")
    broken = changed("| Evidence strength |", "| Evidence |", broken)
    assert [p.split(":")[1] for p in refused(broken)] == ["18", "22"]


# --- consistency with the rest of the project -----------------------------------------------------


def test_section_notes_are_the_notes_the_site_prints(repo: Path) -> None:
    for name, notes in SECTION_NOTES.items():
        template = (repo / "templates" / "notes" / f"{name}.html").read_text(encoding="utf-8")
        printed = {" ".join(p.split()) for p in re.findall(r'<p class="note">(.*?)</p>', template, re.S)}
        assert printed == set(notes), name


def test_page_of_a_new_record_imports_as_that_record(make_record: Callable[..., Record]) -> None:
    record = make_record("new-1")
    assert imported(page_text(record), "new-1") == record
