"""`minyi model ...` (topic and emotion models) and `minyi redact`: the text-understanding command line."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import numpy as np
import typer

from minyi.settings import get_settings


def register(app: typer.Typer, *, extend_model: Callable[[typer.Typer], None] | None = None) -> None:
    """Add this slice's commands to the `minyi` command line."""
    model_app = _model_app()
    if extend_model is not None:  # other slices add their commands to `minyi model` (learning: retrain, …)
        extend_model(model_app)
    app.add_typer(model_app, name="model")

    @app.command("redact")
    def redact() -> None:
        """Mask personal data (ID, phone, e-mail, card, plate, name, address): stdin to stdout, line by line."""
        from minyi.nlp.pii import redact_lines

        for line in redact_lines(sys.stdin):
            sys.stdout.write(line)


# --- `minyi model`: train, evaluate and apply the topic and emotion models ---------------------------------


def _default_labelled() -> Path:
    return get_settings().shared_data / "teddy2020" / "messages_labelled.csv"


def _model_app() -> typer.Typer:
    model_app = typer.Typer(
        help="Train, evaluate and apply the topic and emotion models.", no_args_is_help=True
    )

    @model_app.command("train")
    def train(
        data: Annotated[
            Path | None, typer.Option(help="labelled CSV (id,user,title,time,detail,label)")
        ] = None,
        out: Annotated[
            Path | None, typer.Option(help="folder to write; default: the shipped model folder")
        ] = None,
        folds: Annotated[int, typer.Option(help="inner folds for temperature and threshold")] = 5,
    ) -> None:
        """Train the topic model on the whole labelled file and write it with its metadata."""
        from minyi.nlp import train as tr
        from minyi.nlp.topic import MODEL_DIR

        path = data or _default_labelled()
        rows = tr.read_messages(path)
        corpus = tr.Corpus([tr.message_text(r) for r in rows], _labels(rows))
        meta = {"data_file": path.name, "data_sha256": tr.file_sha256(path)}
        model = tr.train_model(corpus, inner_folds=folds, meta=meta)
        written = model.save(out or MODEL_DIR)
        typer.echo(f"wrote {written} ({written.stat().st_size / 1e6:.1f} MB), threshold {model.threshold}")

    @model_app.command("eval")
    def evaluate(
        data: Annotated[Path | None, typer.Option(help="labelled CSV to evaluate on")] = None,
        cv: Annotated[int, typer.Option(help="k>1: k-fold CV training fresh models (the honest figure)")] = 0,
        baseline: Annotated[
            bool, typer.Option(help="with --cv: the char tf-idf + LinearSVC reference")
        ] = False,
        model_dir: Annotated[Path | None, typer.Option(help="model folder; default: the shipped one")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
    ) -> None:
        """Evaluate the shipped model on a file, or (--cv k) cross-validate the training method on it."""
        from minyi.nlp import evaluate as ev
        from minyi.nlp import train as tr
        from minyi.nlp.topic import MODEL_DIR, TopicModel

        path = data or _default_labelled()
        rows = tr.read_messages(path)
        corpus = tr.Corpus([tr.message_text(r) for r in rows], _labels(rows))
        if cv > 1:
            result = ev.baseline_cv(corpus, cv) if baseline else ev.cross_validate(corpus, cv)
        else:
            result = ev.evaluate_model(TopicModel.load(model_dir or MODEL_DIR), corpus)
        result["data_file"] = path.name
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2) if as_json else _report(result))

    @model_app.command("predict")
    def predict(
        data: Annotated[
            Path | None, typer.Option(help="CSV with title/detail columns; default: JSON lines on stdin")
        ] = None,
    ) -> None:
        """Predict the topic and emotion of each message; writes one JSON object per line."""
        from minyi.nlp import emotion
        from minyi.nlp.topic import get_topic_model
        from minyi.nlp.train import message_text, read_messages

        model = get_topic_model()
        if model is None:
            raise typer.BadParameter("no topic model is shipped; run `minyi model train` first")
        rows = read_messages(data) if data else [json.loads(line) for line in sys.stdin if line.strip()]
        texts = [message_text({k: str(v or "") for k, v in row.items()}) for row in rows]
        for row, text, pred in zip(rows, texts, model.predict(texts), strict=True):
            feel = emotion.score(text)
            out = {
                "id": row.get("id"),
                "topic": pred.label,
                "confidence": pred.confidence,
                "top3": pred.top3,
                "needs_triage": pred.needs_triage,
                "negativity": feel.negativity,
                "intensity": feel.intensity,
            }
            typer.echo(json.dumps(out, ensure_ascii=False))

    @model_app.command("train-emotion")
    def train_emotion(
        out: Annotated[
            Path | None, typer.Option(help="folder to write; default: the shipped model folder")
        ] = None,
        cv: Annotated[int, typer.Option(help="k>1: also report k-fold CV accuracy per corpus")] = 0,
        adapt: Annotated[
            bool, typer.Option(help="adapt to citizens' messages with the unlabelled teddy2020 messages")
        ] = True,
    ) -> None:
        """Train the polarity model on ChnSentiCorp hotel and waimai reviews, adapted to citizens' messages."""
        from minyi.nlp import emotion, emotion_adapt, emotion_train
        from minyi.nlp.train import file_sha256

        root = get_settings().shared_data
        paths = [root / "sentiment" / "ChnSentiCorp_htl_all.csv", root / "sentiment" / "waimai_10k.csv"]
        texts, labels, domains = emotion_train.read_reviews(paths)
        citizen = [
            root / "teddy2020" / "messages_unlabelled.csv",
            root / "teddy2020" / "messages_with_votes.csv",
        ]
        used = paths + (citizen if adapt else [])
        meta: dict = {
            "version": emotion_adapt.ADAPTED_VERSION if adapt else emotion.SENTIMENT_VERSION,
            "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "data": {p.name: file_sha256(p) for p in used},
            "domains": [p.name for p in paths]
            + (["citizen messages (title labels + self-training)"] if adapt else []),
        }
        if cv > 1:
            figures = emotion_train.cross_validate_sentiment(texts, labels, domains, cv)
            meta[f"cv{cv}"] = {paths[int(g)].name: v for g, v in figures.items()}
            typer.echo(json.dumps(meta[f"cv{cv}"], ensure_ascii=False, indent=2))
        if adapt:
            messages, message_labels = emotion_adapt.read_messages(citizen)
            model, meta["adaptation"] = emotion_adapt.fit_adapted(
                texts, labels, domains, messages, message_labels
            )
            typer.echo(json.dumps(meta["adaptation"], ensure_ascii=False))
        else:
            model = emotion_train.fit_sentiment(texts, labels, domains)
        target = (out or emotion.MODEL_DIR) / emotion.SENTIMENT_FILE
        target.parent.mkdir(parents=True, exist_ok=True)
        model.save(target)
        meta_text = json.dumps(meta, ensure_ascii=False, indent=2) + "\n"
        target.with_suffix(".json").write_text(meta_text, "utf-8")
        typer.echo(f"wrote {target} ({target.stat().st_size / 1e6:.1f} MB)")

    return model_app


def _labels(rows: list[dict[str, str]]) -> np.ndarray:
    """The label column, stripped; refuses a file without one."""
    if not rows or "label" not in rows[0]:
        raise typer.BadParameter("the CSV needs a label column")
    return np.array([(r.get("label") or "").strip() for r in rows])


def _report(result: dict) -> str:
    """Plain-text table: per-class precision/recall/F1, the confusion matrix, macro-F1 and triage figures."""
    labels = result["labels"]
    lines = [f"{result['mode']} on {result.get('data_file', '?')} (n={result['n']})", ""]
    lines.append(f"{'class':<10}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>9}")
    for lab in labels:
        c = result["per_class"][lab]
        lines.append(f"{lab:<10}{c['precision']:>10.4f}{c['recall']:>10.4f}{c['f1']:>10.4f}{c['support']:>9}")
    lines += ["", "confusion (rows true, columns predicted, in the order above):"]
    lines += ["  " + " ".join(f"{v:>5}" for v in row) for row in result["confusion"]]
    lines += ["", f"accuracy {result['accuracy']:.4f}   macro-F1 {result['macro_f1']:.4f}"]
    if "triage" in result:
        t = result["triage"]
        lines.append(
            f"threshold {t['threshold']}: auto-routed precision {t['auto_precision']:.4f}, "
            f"sent to triage {t['triage_share']:.1%}"
        )
    return "\n".join(lines)
