"""The messages between the grader and its child: one line of JSON each, read back as they were sent."""

import pytest

from coursekit.grading import protocol
from coursekit.grading.protocol import (
    AnswerGraph,
    ChainRequest,
    Failure,
    Garbled,
    Grads,
    GraphRequest,
    Hello,
    Ready,
    TargetRequest,
)

MESSAGES = [
    Hello("module:value", ["Value"], 1024, 16),
    TargetRequest("", "a * b", "", [["a", True, 2.0], ["b", False, [1.0, 2.5]]]),
    GraphRequest([[2.0, [], []], [-3.0, [], []], [-6.0, [0, 1], [-3.0, 2.0]]], 2, [0, 1, 2]),
    ChainRequest(100, [2.0, 0.5], 1, [0, 50, 100]),
    Ready(["cell 3 failed: NameError: name 'x' is not defined"]),
    AnswerGraph([2, {"number": 1.5}], [2.0, -3.0, -6.0], [[], [], [0, 1]], [[], [], [-3.0, 2.0]], [0, 1]),
    Grads([5.0, 1.0]),
    Failure("NotImplementedError", "not implemented yet", "value.py, line 20, in log"),
]


@pytest.mark.parametrize("message", MESSAGES, ids=lambda message: type(message).__name__)
def test_every_message_reads_back_as_sent_with_its_id(message):
    line = protocol.encode(message, "1f2e")
    assert line.endswith("\n") and line.count("\n") == 1
    assert protocol.decode(line) == ("1f2e", message)
    assert type(protocol.decode(line)[1]) is type(message)


@pytest.mark.parametrize("line", ["hello from the student\n", '{"kind": "answer"}\n', '[1, 2]\n',
                                  '{"kind": "nonsense", "id": "1"}\n', '{"kind": "grads", "id": "1", "x": 2}\n'])
def test_a_line_that_is_no_message_is_garbled(line):
    with pytest.raises(Garbled):
        protocol.decode(line)


def test_public_tests_freeze_answers_without_the_wire_envelope():
    graph, grads = MESSAGES[5], MESSAGES[6]
    assert protocol.answer_to_json(grads) == '{"grads": [5.0, 1.0]}'
    assert protocol.answer_from_json(protocol.answer_to_json(graph)) == graph
    assert protocol.answer_from_json(protocol.answer_to_json(grads)) == grads


def test_a_failure_reads_as_one_sentence():
    assert MESSAGES[7].sentence == "not implemented yet (value.py, line 20, in log)"
    assert Failure("Timeout", "this case took longer than 5 s (infinite loop?) and was stopped", None).sentence == \
        "this case took longer than 5 s (infinite loop?) and was stopped"


def test_a_fresh_request_is_a_copy_its_code_may_change():
    request = MESSAGES[1]
    copy = protocol.fresh(request)
    copy.inputs[1][2].append(9.0)
    assert copy != request and request.inputs[1][2] == [1.0, 2.5]
