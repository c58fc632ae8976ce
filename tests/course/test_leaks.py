"""The leak check on its own: every solution line, anywhere a student could read it, named by file and line."""

import json

import nbformat
import pytest

from coursekit.course.leaks import find_leaks, readable_parts, secret_lines

VALUE_PY = (b"class Value:\n    def exp(self):\n        ### BEGIN SOLUTION\n        e = math.exp(self.data)\n"
            b"        return Value(e, (self,), (e,))\n        ### END SOLUTION\n\n    def relu(self):\n"
            b"        ### BEGIN SOLUTION\n        return out\n        ### END SOLUTION\n        return out\n")
HIDDEN = {"rubric.toml": b"[tests.exp]\npoints = 10\nexamples = ['Value(709.0).exp()']\n"}
PUBLIC = {"rubric.toml": b"[tests.exp]\npoints = 10\n"}


def notebook(*cells, outputs=()):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(source[3:]) if source.startswith("md:")
                else nbformat.v4.new_code_cell(source) for source in cells]
    nb.cells[-1].outputs = [nbformat.v4.new_output("stream", name="stdout", text=text) for text in outputs]
    return nbformat.writes(nb).encode()


@pytest.fixture
def secrets():
    return secret_lines({"value.py": VALUE_PY}, HIDDEN, PUBLIC)


def test_secrets_are_the_region_lines_and_the_hidden_tests_only(secrets):
    assert secrets == {"### BEGIN SOLUTION", "### END SOLUTION", "e = math.exp(self.data)",
                       "return Value(e, (self,), (e,))", "examples = ['Value(709.0).exp()']"}
    # `return out` is also code outside every region; `[tests.exp]` is public too; `pass`-sized lines prove nothing


def test_an_answer_pasted_into_prose_of_the_solutions_is_still_a_secret():
    notes = b"Remember: e = math.exp(self.data)\n"
    chapter = notebook("md:The answer, for the TAs:\n\n    return Value(e, (self,), (e,))", "x = 1")
    secrets = secret_lines({"value.py": VALUE_PY, "notes.md": notes, "ch2.ipynb": chapter}, {}, {})
    assert {"e = math.exp(self.data)", "return Value(e, (self,), (e,))"} <= secrets


def test_a_line_shown_on_purpose_is_no_secret():
    secrets = secret_lines({"value.py": VALUE_PY}, {}, {}, shown={"e = math.exp(self.data)"})
    assert "e = math.exp(self.data)" not in secrets and "return Value(e, (self,), (e,))" in secrets


def test_leaks_are_found_anywhere_and_named_by_file_and_line(secrets):
    files = {
        "course/value.py": b"class Value:\n    pass\n",
        "course/notes.md": b"# Hints\n\nIf stuck: `e = math.exp(self.data)` and you are done.\n",
        "course/ch2.ipynb": notebook("md:# Chapter 2", "md:Remember\n\nreturn Value(e, (self,), (e,))", "print(1)",
                                     outputs=["Value(709.0).exp()\n", "examples = ['Value(709.0).exp()']\n"]),
        "course/logo.png": b"\x89PNG\r\n\x1a\n\xff\xfe e = math.exp(self.data)",
    }
    assert find_leaks(files, secrets) == [
        "course/ch2.ipynb, cell 2, line 3: instructor-only text 'return Value(e, (self,), (e,))'",
        "course/ch2.ipynb, cell 3, output 2, line 1: instructor-only text \"examples = ['Value(709.0).exp()']\"",
        "course/notes.md, line 3: instructor-only text 'e = math.exp(self.data)'",
    ]


def test_a_file_from_a_secret_folder_is_a_leak_by_its_path(secrets):
    assert find_leaks({"course/autograder/rubric.toml": b"[tests.exp]\n"}, secrets) == [
        "course/autograder/rubric.toml: a file from an instructor-only folder"]


def test_many_leaking_lines_in_one_file_are_summed_up(secrets):
    text = b"e = math.exp(self.data)\n" * 5
    leaks = find_leaks({"notes.txt": text}, secrets)
    assert leaks[:3] == [f"notes.txt, line {n}: instructor-only text 'e = math.exp(self.data)'" for n in (1, 2, 3)]
    assert leaks[3:] == ["notes.txt: and 2 more lines"]


def test_outputs_of_every_kind_are_read():
    nb = json.loads(notebook("1/0"))
    nb["cells"][0]["outputs"] = [
        {"output_type": "error", "ename": "ZeroDivisionError", "evalue": "secret evalue", "traceback": ["tb one", "tb two"]},
        {"output_type": "display_data", "metadata": {}, "data": {"text/html": ["<b>secret html</b>"],
                                                                 "image/png": "c2VjcmV0", "application/json": {"k": "v"}}},
    ]
    parts = readable_parts("x.ipynb", json.dumps(nb).encode())
    assert [(place, kind) for place, kind, _ in parts] == [("cell 1", "code"), ("cell 1, output 1", "output"),
                                                           ("cell 1, output 2", "output")]
    assert parts[1][2] == "secret evalue\ntb onetb two" and parts[2][2] == '<b>secret html</b>\n{"k": "v"}'


def test_a_broken_notebook_is_read_as_text():
    assert readable_parts("x.ipynb", b"{not json") == [("", "prose", "{not json")]
