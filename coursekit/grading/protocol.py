"""The messages between the grader and the probe in its child process, defined once for both sides.

    grader -> child   Hello (first: where the code is, the limits, the names it must define),
                      then one request per case: TargetRequest, GraphRequest or ChainRequest
    child -> grader   Ready (the submission is imported) or a Failure, then for each request
                      an AnswerGraph (a target's outputs and the graph below them), Grads (what
                      backward() left on the nodes) or a Failure (what the student's code raised)

On the wire each message is one line of JSON, {"kind": ..., "id": ..., its fields}; an answer
carries the id of its request (coursekit.grading.sandbox draws them), so the grader matches
answers to cases by key, never by position. Only this module and the sandbox know that shape.

The child imports nothing of coursekit (it runs `python -I -S`): the sandbox sends it this file's
source with the probe's. So it uses the standard library only, and namedtuples rather than
dataclasses, which would add milliseconds to the start of every child.
"""

import json
from collections import namedtuple

# grader -> child
Hello = namedtuple("Hello", "entry needs memory_mb file_mb")  # entry: "module:NAME" or "notebook:FILE.ipynb"
TargetRequest = namedtuple("TargetRequest", "setup target wrt inputs")  # inputs: [name, is_value, numbers]
GraphRequest = namedtuple("GraphRequest", "nodes calls report")  # nodes: [data, children, local_grads]
ChainRequest = namedtuple("ChainRequest", "chain local_grads calls report")  # a chain too long to write out

# child -> grader
Ready = namedtuple("Ready", "notes")  # notes: notebook cells that failed while the rest was defined
AnswerGraph = namedtuple("AnswerGraph", "outputs data children local inputs")
Grads = namedtuple("Grads", "grads")  # the grad of each reported node after backward()


class Failure(namedtuple("Failure", "error message where")):
    """What went wrong in the child (the exception's name, a sentence for the student, where in
    their files), or why the child stopped answering (error "Timeout", "Crash"...)."""

    __slots__ = ()

    @property
    def sentence(self):
        """The failure as the student reads it: "not implemented yet (value.py, line 20, in log)"."""
        return f"{self.message} ({self.where})" if self.where else str(self.message)


KINDS = {"hello": Hello, "target": TargetRequest, "graph": GraphRequest, "chain": ChainRequest,
         "ready": Ready, "answer": AnswerGraph, "grads": Grads, "failure": Failure}
KIND_OF = {cls: kind for kind, cls in KINDS.items()}
ANSWERS = (AnswerGraph, Grads)


class Garbled(ValueError):
    """A line that is not a message of this protocol (written to the pipe by the submission, say)."""


def encode(message, message_id):
    """One line of JSON: the message, tagged with its kind and the id it is or answers."""
    return json.dumps({"kind": KIND_OF[type(message)], "id": message_id, **message._asdict()}) + "\n"


def decode(line):
    """(id, message) of a line written by encode(); Garbled for anything else."""
    try:
        fields = json.loads(line)
        kind, message_id = fields.pop("kind"), fields.pop("id")
        return message_id, KINDS[kind](**fields)
    except (ValueError, TypeError, KeyError, AttributeError):
        raise Garbled(line[:80]) from None


def answer_to_json(answer):
    """An answer as the JSON that public tests freeze ({"outputs": ...} or {"grads": ...})."""
    return json.dumps(answer._asdict())


def answer_from_json(text):
    """The answer frozen by answer_to_json (a graph, or the grads of a backward test)."""
    fields = json.loads(text)
    return Grads(**fields) if "grads" in fields else AnswerGraph(**fields)


def answers_to_json(answers):
    """Several answers to one case (a known mistake's, walked in each order) as one JSON text: the
    one answer when they agree, else a list of them."""
    distinct = list(dict.fromkeys(answer_to_json(answer) for answer in answers))
    return distinct[0] if len(distinct) == 1 else "[" + ", ".join(distinct) + "]"


def answers_from_json(text):
    """The answers frozen by answers_to_json, as a tuple."""
    fields = json.loads(text)
    return tuple(answer_from_json(json.dumps(item)) for item in (fields if isinstance(fields, list) else [fields]))


def fresh(request):
    """A copy of a request that the code it runs may change in place (the m and v lists of an Adam step)."""
    return decode(encode(request, 0))[1]
