"""Find the submissions in an input folder and the files of each one."""

from __future__ import annotations

import logging
from pathlib import Path

from extractors.archive import is_skipped
from extractors.model import Problem
from extractors.problems import problem

from .model import Submission

log = logging.getLogger(__name__)


def find_submissions(root: Path) -> tuple[list[Submission], list[Problem]]:
    """Sub-folders and .zip files are submissions; a folder holding only files is one submission itself."""
    entries = sorted(p for p in root.iterdir() if not is_skipped(p.name))
    subs = [p for p in entries if p.is_dir() or (p.is_file() and p.suffix.lower() == ".zip")]
    if not subs:
        return [Submission(root.name, root)], []
    loose = [p for p in entries if p.is_file() and p.suffix.lower() != ".zip"]
    problems = [problem("loose-file", p.name, detail=p.name) for p in loose]
    return [Submission(p.name, p) for p in subs], problems


def list_files(folder: Path) -> tuple[list[Path], list[Problem]]:
    """Every file under a submission folder, sorted; lock and hidden files skipped with a note."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(folder).as_posix()
        if is_skipped(rel):
            log.info("skipped %s", rel)
            if path.name.startswith("~$"):
                problems.append(problem("skipped", rel, detail=path.name))
            continue
        files.append(path)
    return files, problems
