"""Matching submissions to the roster: renamed, missing, extra and ambiguous submissions."""

import pytest

from coursekit.term.roster import RosterError, match_submissions, read_roster

ROSTER = """id,name,email,section,canvas_id
s001,Ada Lovelace,ada@uni.edu,A,101
s002,Alan Turing,alan.turing@uni.edu,A,102
s003,Grace Hopper,grace@uni.edu,B,103
s004,Edsger Dijkstra,edsger@uni.edu,B,104
s005,Ada Byron,abyron@uni.edu,B,105
"""


@pytest.fixture
def roster(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER)
    return read_roster(path)


def test_a_roster_keeps_its_other_columns(roster):
    assert [s.id for s in roster] == ["s001", "s002", "s003", "s004", "s005"]
    assert roster[0].name == "Ada Lovelace" and roster[0].section == "A" and roster[0].get("canvas_id") == "101"


def test_renamed_submissions_match_by_id_email_email_user_or_name(roster):
    names = ["s001", "alan.turing@uni.edu", "GRACE", "edsger-dijkstra"]
    matching = match_submissions(names, roster)
    assert {name: s.id for name, s in matching.students.items()} == {
        "s001": "s001", "alan.turing@uni.edu": "s002", "GRACE": "s003", "edsger-dijkstra": "s004"}
    assert [s.id for s in matching.missing] == ["s005"]
    assert matching.unmatched == ()


def test_extra_submissions_are_listed_with_the_reason_never_dropped(roster):
    matching = match_submissions(["ada", "mallory", "s002"], roster)  # "ada" is ada@uni.edu's user
    assert matching.unmatched == ("mallory",)
    assert matching.reasons["mallory"] == "matches no student of the roster"
    assert [s.id for s in matching.missing] == ["s003", "s004", "s005"]


def test_a_name_two_students_share_matches_neither(roster):
    roster = (*roster, roster[0].__class__("s006", "Ada Lovelace", "al2@uni.edu"))
    matching = match_submissions(["Ada_Lovelace"], roster)
    assert matching.reasons["Ada_Lovelace"] == "matches s001 and s006"


def test_two_submissions_of_one_student_are_both_set_apart(roster):
    matching = match_submissions(["s003", "grace_hopper"], roster)
    assert matching.students == {} and matching.unmatched == ("grace_hopper", "s003")
    assert matching.reasons["s003"] == "s003 has another submission too: grade one of them"
    assert "s003" not in [s.id for s in matching.missing]  # she did hand something in


def test_gradescope_submitters_are_tried_before_the_folder_name(roster):
    matching = match_submissions(["submission_8812"], roster, {"submission_8812": ("Edsger Dijkstra", "edsger@uni.edu")})
    assert matching.students["submission_8812"].id == "s004"


def test_configured_column_names(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("SIS User ID,Student,Login\nu1,Ada Lovelace,ada@uni.edu\n")
    (student,) = read_roster(path, {"id": "SIS User ID", "name": "Student", "email": "Login"})
    assert (student.id, student.name, student.email) == ("u1", "Ada Lovelace", "ada@uni.edu")


@pytest.mark.parametrize("text, message", [
    ("name,email\nAda,ada@uni.edu\n", "roster.csv: no column 'id' for the student id; the columns are name, email"),
    ("id,name\ns1,Ada\ns1,Alan\n", "roster.csv:3: the id 's1' appears twice"),
    ("id,name\n,Ada\n", "roster.csv:2: the student has no id"),
    ("id,name\n", "roster.csv: the roster has no students"),
])
def test_a_bad_roster_says_what_and_where(tmp_path, text, message):
    path = tmp_path / "roster.csv"
    path.write_text(text)
    with pytest.raises(RosterError) as error:
        read_roster(path)
    assert str(error.value) == f"{tmp_path}/{message}"
