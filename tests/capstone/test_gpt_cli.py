"""`coursekit gpt train`, through Click's runner and as the installed command."""

import csv

import pytest
from click.testing import CliRunner

from coursekit.capstone import gpt
from coursekit.cli import main


def train_cli(*args):
    return CliRunner().invoke(main, ["gpt", "train", *args])


def read_losses(folder):
    with open(folder / "loss.csv", newline="") as file:
        rows = list(csv.DictReader(file))
    return [float(row["loss"]) for row in rows], rows


def test_train_prints_names_and_writes_the_loss_curve(tmp_path):
    result = train_cli("--steps", "3", "--seed", "4", "--samples", "5", "--out", str(tmp_path / "run"))
    assert result.exit_code == 0, result.output
    names = result.stdout.splitlines()
    assert len(names) == 5 and all(set(name) <= set(gpt.LETTERS) for name in names)
    assert "3 steps in" in result.stderr and "loss.png" in result.stderr

    losses, rows = read_losses(tmp_path / "run")
    assert losses == gpt.train(steps=3, seed=4).losses  # the CSV holds the run's losses exactly
    assert [row["step"] for row in rows] == ["1", "2", "3"]
    assert float(rows[1]["mean_last_50"]) == pytest.approx((losses[0] + losses[1]) / 2)
    assert (tmp_path / "run" / "loss.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert sorted(p.name for p in (tmp_path / "run").iterdir()) == ["loss.csv", "loss.png"]  # no temp files left


def test_the_same_seed_samples_the_same_names(tmp_path):
    first = train_cli("--steps", "2", "--seed", "9", "--out", str(tmp_path / "a"))
    second = train_cli("--steps", "2", "--seed", "9", "--out", str(tmp_path / "b"))
    assert first.exit_code == second.exit_code == 0
    assert first.stdout == second.stdout and len(first.stdout.splitlines()) == 20


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (["--steps", "0"], "--steps"),
        (["--temperature", "0"], "--temperature"),
        (["--temperature", "warm"], "--temperature"),
        (["--samples", "-1"], "--samples"),
    ],
)
def test_bad_options_exit_2_naming_the_option(tmp_path, args, complaint):
    result = train_cli(*args, "--out", str(tmp_path / "run"))
    assert result.exit_code == 2
    assert complaint in result.stderr
    assert not (tmp_path / "run").exists()


def test_an_out_folder_that_cannot_be_made_exits_2_before_training(tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder")
    result = train_cli("--steps", "1", "--out", str(blocker))
    assert result.exit_code == 2 and "file.txt" in result.stderr
    result = train_cli("--steps", "1", "--out", str(blocker / "inside"))
    assert result.exit_code == 2 and "cannot write to --out" in result.stderr
    assert blocker.read_text() == "not a folder"


def test_the_installed_command_trains_and_explains_itself(run_coursekit, tmp_path):
    run = run_coursekit("gpt", "train", "--steps", "2", "--samples", "3", "--out", str(tmp_path))
    assert run.returncode == 0, run.stderr
    assert len(run.stdout.splitlines()) == 3
    assert "steps/s" in run.stderr  # the progress bar's final state
    assert len(read_losses(tmp_path)[0]) == 2

    usage = run_coursekit("gpt", "train", "--steps", "-5")
    assert usage.returncode == 2 and "--steps" in usage.stderr and not usage.stdout

    helped = run_coursekit("gpt", "train", "--help")
    assert helped.returncode == 0 and "--temperature" in helped.stdout


def test_demo_gpt_runs_a_short_training_through_the_same_function(tmp_path):
    result = CliRunner().invoke(main, ["demo", "--gpt", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    losses, _ = read_losses(tmp_path / "gpt")
    assert losses == gpt.train(steps=50, seed=0).losses
    assert sum(losses[-10:]) / 10 < losses[0]  # 50 steps already lower the loss
    names = result.stdout.split("\n")[-21:-1]
    assert len(names) == 20 and all(set(name) <= set(gpt.LETTERS) for name in names)
