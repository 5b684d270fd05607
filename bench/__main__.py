"""Run every benchmark module and write the results, with the machine and command, to docs/benchmarks.md.

A benchmark is a module `bench/<name>.py` with `TITLE: str` and `run() -> str` returning a
Markdown section body (tables and a sentence on what it measures). Modules run in name order.
Options after the names go to the modules whose `run` takes them: `python -m bench analytics --cases 100000`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import inspect
import os
import pkgutil
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "benchmarks.md"


def machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(meminfo.read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB RAM"
    system = f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    return f"{cpu}, {os.cpu_count()} cores{memory}, {system}"


def merged_sections(fresh: list[str], wanted: set[str]) -> list[str]:
    """All sections: the fresh ones, and (for a partial run) the earlier ones that were not re-run."""
    if not wanted or not OUTPUT.exists():
        return fresh
    titles = {section.split("\n", 1)[0] for section in fresh}
    earlier = ["## " + part for part in OUTPUT.read_text().split("\n## ")[1:]]
    kept = [section.rstrip("\n") + "\n" for section in earlier if section.split("\n", 1)[0] not in titles]
    return sorted([*fresh, *kept])


def arguments(argv: list[str]) -> tuple[set[str], dict[str, object]]:
    """The benchmarks asked for, and the options given (those not given left out)."""
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("names", nargs="*")
    parser.add_argument("--cases", type=int, help="analytics: history cases in the bench database")
    parser.add_argument("--mix", choices=("city", "tasks"), help="analytics: what is applied for (default: tasks)")
    parser.add_argument("--replicate", type=int, help="analytics: also measure the copy with each case K times")
    parsed = vars(parser.parse_args(argv))
    names = set(parsed.pop("names"))
    return names, {key: value for key, value in parsed.items() if value is not None}


def main(argv: list[str]) -> None:
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onewindow.settings")
    wanted, options = arguments(argv)
    names = sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if not m.name.startswith("_"))
    sections = []
    for name in names:
        if wanted and name not in wanted:
            continue
        module = importlib.import_module(f"bench.{name}")
        print(f"== {module.TITLE}", flush=True)
        accepted = inspect.signature(module.run).parameters
        body = module.run(**{key: value for key, value in options.items() if key in accepted})
        print(body, flush=True)
        when = f"_Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC._"
        sections.append(f"## {module.TITLE}\n\n{when}\n\n{body.strip()}\n")
    header = (
        "# Benchmarks\n\n"
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {machine()}.\n\n"
        "Command: `make bench` (`python -m bench`); `python -m bench NAME` re-measures one section and\n"
        "keeps the others as they were (each section says when it was measured).\n"
        "Timings vary with the machine; the ratios are what the goals are stated in.\n\n"
    )
    OUTPUT.write_text(header + "\n".join(merged_sections(sections, wanted)))
    print(f"wrote {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
