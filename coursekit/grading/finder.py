"""Find what a student submitted: the one finder of `grade`, `grade --class`, Gradescope's
run_autograder and `check`.

A rubric declares the files a student submits (`submit = ["value.py", "ch2-more-operations.ipynb"]`).
Students hand in a folder, a zip, or a file, named as their browser or their fingers left it. Each
declared file is found by its name, then its name in another case, then a copy a browser renamed
(`Value (1).py`, `value-2.py`, `value copy.py`), the shallowest first. When no file bears its name,
a notebook is the only notebook left, and value.py the one .py (else the one notebook) that
defines class Value, or the only file handed in. Zips (the upload, or inside it, one level) are unpacked first, refusing
absolute paths, `..`, links and zip bombs.

The files found are laid out as in the course folder (each declared file under its own name,
beside value.py the modules of its folder) for load.py to read, and the submission records which
file was graded as what, and which code files were left out and why (another copy of a declared
file, a module outside value.py's folder, or a file the assignment does not grade). Nothing usable
is a SubmissionError that says what to submit.
"""

import re
import shutil
import tempfile
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from coursekit.grading.load import MODULE, SubmissionError, load_submission

SKIPPED = ("__MACOSX", "__pycache__", ".ipynb_checkpoints")
CODE = (".py", ".ipynb")
COPY_MARK = re.compile(r"(?:\s*\(\d+\)|[ _-]\d+|[ _-]copy(?:[ _-]?\d+)?)$", re.IGNORECASE)  # a browser's or a file manager's
DEFINES_VALUE = re.compile(rb"^\s*class\s+Value\b", re.MULTILINE)
NOTEBOOK_DEFINES_VALUE = re.compile(rb'"\s*class\s+Value\b')
MAX_UNZIPPED = 50_000_000  # bytes; a student's course folder is far smaller
MAX_MEMBERS = 2_000
SHOWN = 8  # file names listed in a message
NOT_GRADED_HERE = "not a file this assignment grades"  # why a file that is no copy and no module of value.py is left out


@dataclass(frozen=True)
class Found:
    folder: Path      # laid out as the course's: what load.py reads
    graded: tuple     # (declared name, the file graded as it, as named in the upload)
    ignored: tuple    # code files of the upload that were not graded
    copies: dict      # path in `folder` -> the file of the upload it was copied from


def what_to_submit(submit):
    """The sentence that tells a student what to hand in, from the rubric's `submit`."""
    names = [f"{name} (saved)" if name.endswith(".ipynb") else name for name in submit]
    if len(names) == 1:
        return f"Submit {names[0]} from your course folder, on its own or in a zip."
    return f"Submit {', '.join(names[:-1])} and {names[-1]} from your course folder, on their own or in a zip."


def submit_table(rubrics):
    """What to submit for each assignment, as a Markdown table (the docs and the student README)."""
    rows = ["| assignment | what to submit |", "|---|---|"]
    rows += [f"| {rubric.name} | {', '.join(f'`{name}`' for name in rubric.submit)} |" for rubric in rubrics]
    return "\n".join(rows)


def find_submission(path, submit, code_file=MODULE):
    """The Submission at `path` (a folder, a zip, a .py or a .ipynb): the files `submit` declares."""
    path = Path(path)
    if not path.exists():
        raise SubmissionError(f"{path}: no such file or folder")
    name = path.stem if path.is_file() else path.resolve().name
    with located(path, submit) as found:
        try:
            submission = load_submission(found.folder, code_file)
        except SubmissionError as error:  # named as the student named the files, not by the grader's folder
            raise SubmissionError(str(error).replace(f"{found.folder}/", "").replace(str(found.folder), name)) from None
        sources = tuple(found.copies.get(source, source) for source in submission.sources)
    notes = _notes(found, path if path.is_file() else None)
    return replace(submission, name=name, path=path, sources=sources, graded=found.graded,
                   ignored=why_ignored(found, submit), notes=notes)


@contextmanager
def located(upload, submit):
    """The Found of `upload`, its folder alive inside the `with`."""
    with tempfile.TemporaryDirectory(prefix="coursekit-submission-") as scratch:
        files = upload_files(Path(upload), Path(scratch) / "unpacked", submit)
        yield lay_out(files, submit, Path(scratch) / "graded")


def upload_files(upload, unpacked, submit):
    """{name in the upload: path} of every file a student handed in, zips unpacked into `unpacked`."""
    if upload.is_file() and upload.suffix.lower() != ".zip":  # a file graded alone, and the declared files of
        wanted = {name.lower() for name in submit if Path(name).suffix != upload.suffix.lower()}  # the other kind beside it
        beside = {p.name: p for p in upload.parent.iterdir() if p.is_file() and p.name.lower() in wanted}
        return {**beside, upload.name: upload}
    files = {upload.name: upload} if upload.is_file() else dict(_visible_files(upload))
    for name, path in list(files.items()):
        if path.suffix.lower() == ".zip":
            target = unpacked / name
            extract_zip(path, target)
            files.update((f"{name}/{inner}", found) for inner, found in _visible_files(target))
    return files


def _visible_files(folder):
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part in SKIPPED or part.startswith(".") for part in relative.parts):
            continue
        if path.is_file() and not path.is_symlink():
            yield relative.as_posix(), path


def extract_zip(archive, target):
    """Unpack a student's zip safely: only regular files, inside `target`, within size limits."""
    try:
        with zipfile.ZipFile(archive) as zipped:
            members = [m for m in zipped.infolist() if not m.is_dir()]
            if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNZIPPED:
                raise SubmissionError(f"{archive.name} is too large to be a course folder")
            for member in members:
                parts = PurePosixPath(member.filename.replace("\\", "/")).parts
                is_link = (member.external_attr >> 16) & 0o170000 == 0o120000
                if is_link or not parts or parts[0] in ("/", "") or ".." in parts:
                    continue  # never written outside the target, never a link to the grader's files
                destination = target.joinpath(*parts)
                destination.parent.mkdir(parents=True, exist_ok=True)
                destination.write_bytes(zipped.read(member))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError):
        raise SubmissionError(f"{archive.name} is not a zip file we can open") from None


def likeness(name, declared):
    """How well a file name stands for a declared one: 0 its name, 1 in another case, 2 a renamed
    copy (`Value (1).py`), None not at all."""
    if name == declared:
        return 0
    if name.lower() == declared.lower():
        return 1
    stem, suffix = Path(name).stem, Path(name).suffix
    declared = Path(declared)
    if suffix.lower() == declared.suffix.lower() and COPY_MARK.sub("", stem).lower() == declared.stem.lower():
        return 2
    return None


def lay_out(files, submit, folder):
    """Choose a file for each declared name and copy it into `folder` under that name."""
    folder.mkdir(parents=True)
    code = {name: path for name, path in files.items() if path.suffix.lower() in CODE}
    chosen = {}
    for declared in submit:  # names first, so that a stand-in never takes a file that bears a name
        pick = _best(code, declared, chosen.values())
        if pick is not None:
            chosen[declared] = pick
    for declared in sorted((d for d in submit if d not in chosen), key=lambda d: d == MODULE):  # notebooks first
        pick = _fallback(code, declared, chosen.values())
        if pick is not None:
            chosen[declared] = pick
    if not chosen:
        seen = ", ".join(sorted(files)[:SHOWN]) + (" ..." if len(files) > SHOWN else "") if files else "nothing"
        raise SubmissionError(f"the submission has none of the files to submit ({', '.join(submit)}); it had: {seen}")
    copies = {}
    for declared, name in chosen.items():
        target = Path(name).name if name.lower().endswith(".ipynb") and declared == MODULE else declared
        if files[name] not in copies.values():  # a notebook that is both the chapter's and the class's
            copies[_copy(files[name], folder / target)] = files[name]
        if declared == MODULE and target == MODULE:  # the modules beside value.py, which it may import
            for helper in _helpers(code, name, submit, chosen.values()):
                relative = PurePosixPath(helper).relative_to(PurePosixPath(name).parent)
                copies[_copy(files[helper], folder / relative)] = files[helper]
    used = {name for name, path in code.items() if path in copies.values()}
    return Found(folder, tuple(chosen.items()), tuple(name for name in sorted(code) if name not in used), copies)


def _best(code, declared, taken):
    ranked = sorted((likeness(PurePosixPath(name).name, declared), name.count("/"), name) for name in code
                    if name not in taken and likeness(PurePosixPath(name).name, declared) is not None)
    return ranked[0][2] if ranked else None


def _fallback(code, declared, taken):
    """value.py: the one .py defining class Value, else the one notebook that does (a chapter
    notebook already chosen included), else the only file handed in; a notebook: the only one left."""
    free = [name for name in code if name not in taken]
    if declared == MODULE:
        for candidates, defines in (([n for n in free if n.lower().endswith(".py")], DEFINES_VALUE),
                                    ([n for n in code if n.lower().endswith(".ipynb")], NOTEBOOK_DEFINES_VALUE)):
            found = [name for name in candidates if defines.search(_head(code[name]))]
            if len(found) > 1:
                raise SubmissionError(f"several files define class Value ({', '.join(found[:SHOWN])}), so there is no "
                                      "telling which to grade")
            if found:
                return found[0]
        return free[0] if len(code) == 1 and free else None  # a file handed in alone is the submission
    notebooks = [name for name in free if name.lower().endswith(".ipynb")]
    return notebooks[0] if len(notebooks) == 1 and declared.endswith(".ipynb") else None


def _helpers(code, module, submit, taken):
    """The .py files in value.py's folder and below it, other than copies of a declared file."""
    parent = PurePosixPath(module).parent
    for name in code:
        path = PurePosixPath(name)
        inside = parent == PurePosixPath(".") or parent in path.parents
        copy = any(likeness(path.name, declared) is not None for declared in submit)
        if inside and name not in taken and path.suffix == ".py" and not copy:
            yield name


def _copy(source, target):
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)  # the time it was saved travels with it
    return target


def _head(path, size=2_000_000):
    with open(path, "rb") as file:
        return file.read(size)


def _notes(found, given=None):
    """What a student should know about what was graded: renamed or stand-in files (the files left
    out are the submission's `ignored`; a missing notebook is said by the run). A file `given` to
    grade on its own is graded as what it stands for without a word."""
    return tuple(f"graded {name} as {declared}" for declared, name in found.graded
                 if PurePosixPath(name).name != declared and name != getattr(given, "name", None))


def why_ignored(found, submit):
    """(file, why) for each code file of the upload that was not graded, in the student's words."""
    chosen = dict(found.graded)
    module = chosen.get(MODULE, "")
    folder = PurePosixPath(module).parent if module.lower().endswith(".py") else None
    reasons = []
    for name in found.ignored:
        path = PurePosixPath(name)
        copy_of = next((declared for declared in submit if likeness(path.name, declared) is not None), None)
        if copy_of is not None:
            why = f"another copy of {copy_of} ({chosen[copy_of]} was graded)"
        elif path.suffix == ".py" and folder is not None:  # value.py is graded with the modules of its own folder
            why = f"not in value.py's folder ({folder}/), the only one its modules are taken from"
        else:
            why = NOT_GRADED_HERE
        reasons.append((name, why))
    return tuple(reasons)
