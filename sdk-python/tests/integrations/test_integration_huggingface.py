"""TrackCallback in a real HuggingFace Trainer (a tiny randomly initialised BERT, no downloads, CPU)."""
from __future__ import annotations

import numbers
from pathlib import Path
from typing import Any

import pytest
import torch

transformers = pytest.importorskip("transformers")
from transformers import BertConfig, BertForSequenceClassification, Trainer, TrainingArguments  # noqa: E402

from mlrun.integrations import TrackCallback  # noqa: E402
from mlrun.integrations.huggingface import SUMMARY_KEYS, rewrite_key  # noqa: E402

SEQ_LEN = 8


class Synthetic(torch.utils.data.Dataset):  # type: ignore[type-arg]
    def __init__(self, size: int, seed: int) -> None:
        generator = torch.Generator().manual_seed(seed)
        self.ids = torch.randint(1, 50, (size, SEQ_LEN), generator=generator)
        self.labels = (self.ids[:, 0] > 25).long()

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, i: int) -> dict[str, torch.Tensor]:
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(SEQ_LEN, dtype=torch.long), "labels": self.labels[i]}


def _trainer(tmp_path: Path, callback: TrackCallback) -> Trainer:
    torch.manual_seed(0)
    config = BertConfig(vocab_size=50, hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=16, max_position_embeddings=SEQ_LEN, num_labels=2)
    args = TrainingArguments(
        output_dir=str(tmp_path / "out"),
        run_name="tiny-bert",
        max_steps=6,
        per_device_train_batch_size=4,
        per_device_eval_batch_size=8,
        learning_rate=1e-3,
        logging_steps=2,
        eval_strategy="steps",
        eval_steps=3,
        save_strategy="no",
        report_to=[],
        use_cpu=True,
        seed=0,
        disable_tqdm=True,
        dataloader_num_workers=0,
    )
    return Trainer(model=BertForSequenceClassification(config), args=args, train_dataset=Synthetic(32, 1), eval_dataset=Synthetic(8, 2), callbacks=[callback])


def _expected_points(log_history: list[dict[str, Any]]) -> dict[str, list[tuple[int, float]]]:
    """What HF logged (state.log_history), keyed the way TrackCallback rewrites it."""
    points: dict[str, list[tuple[int, float]]] = {}
    for entry in log_history:
        for key, value in entry.items():
            if key != "step" and key not in SUMMARY_KEYS and isinstance(value, numbers.Number):
                points.setdefault(rewrite_key(key), []).append((entry["step"], float(value)))
    return {key: sorted(values) for key, values in points.items()}


def test_rewrite_key_follows_hf_prefixes() -> None:
    assert [rewrite_key(k) for k in ("loss", "eval_loss", "test_acc", "learning_rate", "evaluation")] == [
        "train/loss",
        "eval/loss",
        "test/acc",
        "train/learning_rate",
        "train/evaluation",
    ]


def test_trainer_lands_as_a_run_with_prefixed_metrics_config_and_summary(tracked: Any, tmp_path: Path) -> None:
    callback = TrackCallback(tags=["hf"])
    trainer = _trainer(tmp_path, callback)
    trainer.train()

    (run,) = tracked.wait_runs(1)
    assert run["id"] == callback.run.id
    assert run["name"] == "tiny-bert"
    assert run["status"] == "finished" and run["exitCode"] == 0
    assert run["tags"] == ["hf"]
    config = run["config"]
    assert (config["learning_rate"], config["max_steps"], config["logging_steps"], config["run_name"]) == (1e-3, 6, 2, "tiny-bert")
    assert (config["model"]["hidden_size"], config["model"]["vocab_size"], config["model"]["num_hidden_layers"]) == (16, 50, 1)
    assert config["model"]["num_parameters"] == trainer.model.num_parameters()

    expected = _expected_points(trainer.state.log_history)
    assert [s for s, _ in expected["train/loss"]] == [2, 4, 6]
    assert [s for s, _ in expected["eval/loss"]] == [3, 6]
    for key in ("train/loss", "train/learning_rate", "train/grad_norm", "eval/loss", "train/epoch"):
        got = tracked.wait(lambda k=key: (p := tracked.points(run["id"], k)) and len(p) == len(expected[k]) and p, key)
        assert got == expected[key], key

    final = trainer.state.log_history[-1]
    summary = tracked.wait(lambda: (s := tracked.run(run["id"])["summary"]) and "train_loss" in s and s, "summary")
    assert summary["train_loss"]["last"] == final["train_loss"]
    assert summary["train_runtime"]["last"] == final["train_runtime"]
    assert summary["eval/loss"]["last"] == expected["eval/loss"][-1][1]


def test_user_owned_run_stays_open_and_gets_the_config(tracked: Any, tmp_path: Path) -> None:
    import mlrun

    own = mlrun.init(name="mine", config={"dataset": "synthetic"})
    trainer = _trainer(tmp_path, TrackCallback(run=own))
    trainer.train()
    own.log({"extra": 2.0}, step=7)  # still open after on_train_end
    own.finish()

    (run,) = tracked.wait_runs(1)
    assert run["id"] == own.id and run["name"] == "mine" and run["status"] == "finished"
    assert run["config"]["dataset"] == "synthetic" and run["config"]["max_steps"] == 6
    assert tracked.wait(lambda: tracked.points(own.id, "extra"), "extra") == [(7, 2.0)]
    assert [s for s, _ in tracked.wait(lambda: tracked.points(own.id, "eval/loss"), "eval/loss")] == [3, 6]


def test_evaluate_after_train_reopens_the_run(tracked: Any, tmp_path: Path) -> None:
    callback = TrackCallback()
    trainer = _trainer(tmp_path, callback)
    trainer.train()
    first = callback.run
    metrics = trainer.evaluate()
    assert callback.run.id == first.id
    callback.run.finish()  # a script would leave this to the exit hook

    (run,) = tracked.wait_runs(1)
    assert run["status"] == "finished"
    got = tracked.wait(lambda: (p := tracked.points(first.id, "eval/loss")) and len(p) == 3 and p, "eval/loss")
    assert got[-1] == (6, metrics["eval_loss"])


def test_hyperparameter_search_makes_one_run_per_trial(tracked: Any, tmp_path: Path) -> None:
    optuna = pytest.importorskip("optuna")
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    base = _trainer(tmp_path, TrackCallback())
    config = base.model.config
    trainer = Trainer(
        model_init=lambda: BertForSequenceClassification(config),
        args=base.args,
        train_dataset=base.train_dataset,
        eval_dataset=base.eval_dataset,
        callbacks=[TrackCallback()],
    )
    best = trainer.hyperparameter_search(
        hp_space=lambda trial: {"learning_rate": trial.suggest_categorical("learning_rate", [1e-3, 2e-3])},
        backend="optuna",
        n_trials=2,
        direction="minimize",
        sampler=optuna.samplers.GridSampler({"learning_rate": [1e-3, 2e-3]}, seed=0),
    )
    assert best.run_id is not None

    runs = tracked.wait_runs(2)
    assert [r["name"] for r in runs] == ["tiny-bert-trial-0", "tiny-bert-trial-1"]
    assert {r["group"] for r in runs} == {"tiny-bert"}
    assert {r["status"] for r in runs} == {"finished"}
    assert sorted(r["config"]["trial_params"]["learning_rate"] for r in runs) == [1e-3, 2e-3]
    assert all(r["config"]["learning_rate"] == r["config"]["trial_params"]["learning_rate"] for r in runs)
