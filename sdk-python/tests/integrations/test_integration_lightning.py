"""TrackLogger in a real Lightning fit (a tiny model on CPU) against the session's real server."""
from __future__ import annotations

import csv
import math
import signal
from pathlib import Path
from typing import Any

import pytest
import torch

lightning = pytest.importorskip("lightning")
from lightning.pytorch import LightningModule, Trainer  # noqa: E402
from lightning.pytorch.loggers import CSVLogger  # noqa: E402
from lightning.pytorch.utilities.rank_zero import rank_zero_only  # noqa: E402

from mlrun.integrations import TrackLogger  # noqa: E402

BATCHES_PER_EPOCH = 4
EPOCHS = 2


class TinyRegression(LightningModule):
    def __init__(self, lr: float = 0.05, hidden: int = 3, fail_at_step: int | None = None, interrupt: bool = False) -> None:
        super().__init__()
        self.save_hyperparameters()
        self.net = torch.nn.Sequential(torch.nn.Linear(4, hidden), torch.nn.Tanh(), torch.nn.Linear(hidden, 1))

    def training_step(self, batch: Any, batch_idx: int) -> torch.Tensor:
        if self.hparams.fail_at_step is not None and self.global_step == self.hparams.fail_at_step:
            raise KeyboardInterrupt if self.hparams.interrupt else RuntimeError("diverged")
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.net(x), y)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch: Any, batch_idx: int) -> None:
        x, y = batch
        self.log("val_loss", torch.nn.functional.mse_loss(self.net(x), y))

    def test_step(self, batch: Any, batch_idx: int) -> None:
        x, y = batch
        self.log("test_loss", torch.nn.functional.mse_loss(self.net(x), y))

    def configure_optimizers(self) -> torch.optim.Optimizer:
        return torch.optim.SGD(self.parameters(), lr=self.hparams.lr)


def _loader() -> torch.utils.data.DataLoader:
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(BATCHES_PER_EPOCH * 2, 4, generator=generator)
    y = x.sum(dim=1, keepdim=True)
    return torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=2)


def _trainer(tmp_path: Path, loggers: list[Any]) -> Trainer:
    return Trainer(
        accelerator="cpu",
        devices=1,
        max_epochs=EPOCHS,
        log_every_n_steps=2,
        logger=loggers,
        default_root_dir=str(tmp_path),
        enable_checkpointing=False,
        enable_progress_bar=False,
        enable_model_summary=False,
        num_sanity_val_steps=0,
    )


def _csv_points(path: str) -> dict[str, list[tuple[int, float]]]:
    """What Lightning handed its own CSVLogger: the ground truth the server must match."""
    points: dict[str, list[tuple[int, float]]] = {}
    with open(Path(path) / "metrics.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            for key, value in row.items():
                if key != "step" and value != "":
                    points.setdefault(key, []).append((int(row["step"]), float(value)))
    return points


def test_fit_lands_as_one_finished_run_with_lightnings_steps_and_values(tracked: Any, tmp_path: Path) -> None:
    torch.manual_seed(0)
    track = TrackLogger(name="tiny-fit", tags=["lightning"])
    reference = CSVLogger(str(tmp_path), name="csv")
    _trainer(tmp_path, [track, reference]).fit(TinyRegression(), _loader(), _loader())

    (run,) = tracked.wait_runs(1)
    assert run["id"] == track.version
    assert track.name == tracked.project
    assert run["name"] == "tiny-fit"
    assert run["status"] == "finished"
    assert run["exitCode"] == 0
    assert run["tags"] == ["lightning"]
    assert {k: run["config"][k] for k in ("lr", "hidden", "fail_at_step", "interrupt")} == {"lr": 0.05, "hidden": 3, "fail_at_step": None, "interrupt": False}

    expected = _csv_points(reference.log_dir)
    # log_every_n_steps=2 over 8 optimizer steps: train_loss at steps 1, 3, 5, 7; val_loss once per epoch.
    assert [step for step, _ in expected["train_loss"]] == [1, 3, 5, 7]
    assert [step for step, _ in expected["val_loss"]] == [3, 7]
    for key in ("train_loss", "val_loss", "epoch"):
        got = tracked.wait(lambda k=key: tracked.points(run["id"], k) if len(tracked.points(run["id"], k)) == len(expected[k]) else None, key)
        assert got == expected[key], key
    assert math.isclose(run["summary"]["train_loss"]["last"], expected["train_loss"][-1][1])


def test_failed_fit_marks_the_run_failed(tracked: Any, tmp_path: Path) -> None:
    torch.manual_seed(0)
    track = TrackLogger(name="tiny-fail")
    with pytest.raises(RuntimeError, match="diverged"):
        _trainer(tmp_path, [track]).fit(TinyRegression(fail_at_step=2), _loader())

    (run,) = tracked.wait_runs(1)
    assert run["status"] == "failed"
    assert run["exitCode"] == 1
    # the steps before the failure were recorded (log_every_n_steps=2 → step 1)
    assert [step for step, _ in tracked.wait(lambda: tracked.points(run["id"], "train_loss"), "train_loss")] == [1]


def test_ctrl_c_marks_the_run_killed(tracked: Any, tmp_path: Path) -> None:
    torch.manual_seed(0)
    track = TrackLogger(name="tiny-ctrl-c")
    sigint = signal.getsignal(signal.SIGINT)
    try:
        # Lightning turns a KeyboardInterrupt into finalize("failed") and sys.exit(1) (ignoring SIGINT from then on)
        with pytest.raises(SystemExit):
            _trainer(tmp_path, [track]).fit(TinyRegression(fail_at_step=2, interrupt=True), _loader())
    finally:
        signal.signal(signal.SIGINT, sigint)

    (run,) = tracked.wait_runs(1)
    assert (run["status"], run["exitCode"]) == ("killed", 130)


def test_prefix_and_owned_run(tracked: Any, tmp_path: Path) -> None:
    import mlrun

    torch.manual_seed(0)
    own = mlrun.init(name="owned")
    track = TrackLogger(run=own, prefix="stage1")
    _trainer(tmp_path, [track]).fit(TinyRegression(), _loader())
    # finalize("success") left the caller's run open: it can still log before finishing it itself
    own.log({"after_fit": 1.0}, step=100)
    own.finish()

    (run,) = tracked.wait_runs(1)
    assert run["id"] == own.id and run["status"] == "finished"
    steps = tracked.wait(lambda: tracked.points(own.id, "stage1-train_loss"), "stage1-train_loss")
    assert [s for s, _ in steps] == [1, 3, 5, 7]
    assert tracked.wait(lambda: tracked.points(own.id, "after_fit"), "after_fit") == [(100, 1.0)]


def test_other_ranks_create_no_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rank_zero_only, "rank", 1)
    track = TrackLogger(project="never-created")
    track.log_metrics({"loss": 1.0}, step=0)
    track.log_hyperparams({"lr": 1.0})
    track.finalize("success")
    assert track.version is None
    assert type(track.experiment).__name__ == "_DummyExperiment"


def test_test_after_fit_reopens_the_same_run(tracked: Any, tmp_path: Path) -> None:
    torch.manual_seed(0)
    track = TrackLogger(name="fit-then-test")
    trainer = _trainer(tmp_path, [track])
    model = TinyRegression()
    trainer.fit(model, _loader())
    run_id = track.version
    (result,) = trainer.test(model, _loader(), verbose=False)

    assert track.version == run_id
    (run,) = tracked.wait_runs(1)
    assert run["id"] == run_id and run["status"] == "finished"
    got = tracked.wait(lambda: tracked.points(run_id, "test_loss"), "test_loss")
    assert got == [(8, result["test_loss"])]  # test metrics land at the global step the fit ended on
