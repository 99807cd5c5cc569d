"""Topic model: training on a tiny fixture, prediction, save/load, CLI shapes and the shipped model."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from minyi.nlp import evaluate as ev
from minyi.nlp import train as tr
from minyi.nlp.cli import register
from minyi.nlp.topic import MODEL_DIR, TopicModel, TopicPrediction, get_topic_model

TINY = {
    "交通运输": [
        "公交车站设置不合理，公交线路绕路太远",
        "出租车拒载乘客，司机态度恶劣，请交通部门处理",
        "这条道路红绿灯时间太短，行人过马路很危险",
        "建议增开公交线路到新区，早晚高峰公交太挤",
        "网约车平台乱收费，请交通运输局查处",
        "长途客运站班车减少，出行不便",
        "公交车司机开车太猛，乘客摔倒受伤",
        "驾驶证年审办理流程太复杂，车管所排队太久",
        "货车超载严重，道路被压坏，请交警查处",
        "地铁站出口附近公交接驳不便，建议调整公交站点",
    ],
    "教育文体": [
        "学校违规补课收费，学生负担太重",
        "孩子上小学学位不足，入学报名困难",
        "幼儿园收费太高，请教育局管一管",
        "老师体罚学生，请教育部门调查",
        "中学教师工资待遇低，绩效工资没有发放",
        "学校食堂卫生差，学生家长很担心",
        "图书馆开放时间太短，希望延长阅读时间",
        "体育馆收费不合理，市民健身不方便",
        "民办学校乱收费，教育局应当查处",
        "高考报名政策咨询，学籍问题怎么办理",
    ],
    "劳动和社会保障": [
        "公司拖欠工资三个月，农民工讨薪无门",
        "单位不给员工缴纳社保，养老保险断缴",
        "退休人员养老金调整标准咨询",
        "医保报销比例太低，社保局怎么规定的",
        "企业辞退员工不给经济补偿，劳动仲裁",
        "失业保险金怎么领取，需要什么材料",
        "工伤认定太慢，劳动部门拖延处理",
        "养老保险转移接续手续咨询",
        "老板拖欠农民工工资，劳动监察不作为",
        "社保卡办理流程咨询，社保缴费基数",
    ],
}


def tiny_rows() -> list[dict[str, str]]:
    rows = []
    for label, texts in TINY.items():
        for i, text in enumerate(texts):
            title = text[:6] if i % 3 == 0 else ""
            rows.append(
                {
                    "id": str(len(rows)),
                    "user": "U1",
                    "title": title,
                    "time": "",
                    "detail": text,
                    "label": label,
                }
            )
    return rows


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["id", "user", "title", "time", "detail", "label"])
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def tiny_model() -> TopicModel:
    rows = tiny_rows()
    corpus = tr.Corpus([tr.message_text(r) for r in rows], np.array([r["label"] for r in rows]))
    return tr.train_model(corpus, inner_folds=2, meta={"data_file": "tiny"})


def test_tiny_model_routes_obvious_messages(tiny_model: TopicModel) -> None:
    preds = tiny_model.predict(
        ["学校乱收费，教育局管一管学生补课", "公司拖欠工资不缴社保", "公交线路太绕，公交站点不合理"]
    )
    assert [p.label for p in preds] == ["教育文体", "劳动和社会保障", "交通运输"]
    for p in preds:
        assert isinstance(p, TopicPrediction)
        assert 0.0 < p.confidence <= 1.0
        assert len(p.top3) == 3 and p.top3[0] == (p.label, p.confidence)
        assert abs(sum(prob for _, prob in p.top3) - 1.0) < 1e-3  # three classes: top3 is everything


def test_empty_text_goes_to_triage_with_zero_confidence(tiny_model: TopicModel) -> None:
    for text in ["", "   ", "hello world", "😀😀"]:
        (pred,) = tiny_model.predict([text])
        assert pred.needs_triage and pred.confidence == 0.0


def test_save_and_load_round_trip(tiny_model: TopicModel, tmp_path: Path) -> None:
    tiny_model.save(tmp_path)
    loaded = TopicModel.load(tmp_path)
    texts = ["学校收费", "拖欠工资", "公交车站"]
    assert loaded.labels == tiny_model.labels
    assert loaded.threshold == tiny_model.threshold
    assert np.allclose(loaded.scores(texts), tiny_model.scores(texts), atol=1e-2)
    assert [p.label for p in loaded.predict(texts)] == [p.label for p in tiny_model.predict(texts)]
    assert json.loads((tmp_path / "topic.json").read_text("utf-8"))["data_file"] == "tiny"


def test_featurizer_matches_scikit_learn_tfidf() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    from minyi.nlp import segment
    from minyi.nlp.topic import prepare

    rows = tiny_rows()
    corpus = tr.Corpus([tr.message_text(r) for r in rows], np.array([r["label"] for r in rows]))
    fz = tr.fit_featurizer(corpus)
    ours = corpus.matrix(fz)
    assert np.allclose(ours.toarray(), fz.transform_folded([prepare(t) for t in corpus.texts]).toarray())
    folded = [prepare(t) for t in corpus.texts]
    blocks = [(lambda f: segment.word_ngrams(f, 2)), (lambda f: segment.char_ngrams(f, 1, 3))]
    reference = [
        TfidfVectorizer(analyzer=a, sublinear_tf=True, min_df=2).fit_transform(folded) for a in blocks
    ]
    n_words = len(fz.word_idf)
    assert reference[0].shape[1] == n_words and reference[1].shape[1] == len(fz.char_idf)
    for i in range(len(folded)):  # same values per row (columns are ordered differently)
        for mine, ref in ((ours[i, :n_words], reference[0][i]), (ours[i, n_words:], reference[1][i])):
            assert np.allclose(np.sort(mine.data), np.sort(ref.data), atol=1e-5)


def cli() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.callback()
    def main() -> None:
        """Test root."""

    return app


def test_cli_eval_json_shape(tiny_model: TopicModel, tmp_path: Path) -> None:
    model_dir = tmp_path / "m"
    tiny_model.save(model_dir)
    data = write_csv(tmp_path / "tiny.csv", tiny_rows())
    result = CliRunner().invoke(
        cli(), ["model", "eval", "--data", str(data), "--model-dir", str(model_dir), "--json"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert 0.0 <= out["macro_f1"] <= 1.0
    assert set(out["per_class"]) == set(TINY)
    assert all({"precision", "recall", "f1", "support"} <= set(v) for v in out["per_class"].values())
    assert len(out["confusion"]) == 3 and all(len(r) == 3 for r in out["confusion"])
    assert {"threshold", "auto_precision", "triage_share"} <= set(out["triage"])
    text = CliRunner().invoke(cli(), ["model", "eval", "--data", str(data), "--model-dir", str(model_dir)])
    assert "macro-F1" in text.output and "confusion" in text.output


def test_cli_train_writes_model_and_metadata(tmp_path: Path) -> None:
    data = write_csv(tmp_path / "tiny.csv", tiny_rows())
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli(), ["model", "train", "--data", str(data), "--out", str(out), "--folds", "2"]
    )
    assert result.exit_code == 0, result.output
    meta = json.loads((out / "topic.json").read_text("utf-8"))
    assert meta["data_sha256"] == tr.file_sha256(data) and meta["n_train"] == 30
    assert TopicModel.load(out).labels == sorted(TINY)


def test_cross_validation_reports_macro_f1() -> None:
    rows = tiny_rows()
    corpus = tr.Corpus([tr.message_text(r) for r in rows], np.array([r["label"] for r in rows]))
    out = ev.cross_validate(corpus, k=2, inner_folds=2)
    assert out["mode"] == "2-fold-cv" and out["n"] == 30
    assert sum(map(sum, out["confusion"])) == 30
    assert out["macro_f1"] > 0.5


def test_duplicates_share_a_group() -> None:
    body = "小区门口的路灯坏了三个月，晚上出行很不方便，" * 12
    texts = [body + "谢谢", body + "盼回复！", "新标题\n" + body[5:] + "谢谢", "另一条留言"]
    groups = tr.duplicate_groups(texts)
    assert groups[0] == groups[1]  # same head, different ending
    assert groups[0] == groups[2]  # same tail, title changed
    assert groups[3] != groups[0]


def test_shipped_model_loads_and_routes_clear_cases() -> None:
    if not (MODEL_DIR / "topic.npz").exists():
        pytest.fail("the topic model must ship inside the package")
    get_topic_model.cache_clear()
    model = get_topic_model()  # its load time is a benchmark (bench/bench_topic.py), not a timed test
    assert model is not None
    assert len(model.labels) == 7 and 0.0 < model.threshold < 1.0 and model.version
    assert {"version", "trained_at", "data_sha256", "inner_oof", "temperature"} <= set(model.meta)
    size = sum(f.stat().st_size for f in MODEL_DIR.iterdir())
    assert size < 30e6
    preds = model.predict(
        [
            "A市某公司拖欠我们农民工工资半年，劳动监察部门请帮忙讨薪",
            "小学学位不足，孩子无法就近入学，请教育局解决",
            "化工厂夜间偷排废气，空气污染严重，环保局请查处",
        ]
    )
    assert [p.label for p in preds] == ["劳动和社会保障", "教育文体", "环境保护"]
    assert model is get_topic_model()


def test_cli_predict_reads_json_lines_and_csv(tmp_path: Path) -> None:
    lines = [
        {"id": 1, "title": "拖欠工资", "text": "公司拖欠农民工工资半年，请劳动监察部门帮忙讨薪"},
        {"id": 2, "detail": "小学学位不足，孩子无法入学"},
        {"id": 3, "text": ""},
    ]
    stdin = "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n"
    result = CliRunner().invoke(cli(), ["model", "predict"], input=stdin)
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.output.splitlines()]
    assert [o["id"] for o in out] == [1, 2, 3]
    assert out[0]["topic"] == "劳动和社会保障" and out[1]["topic"] == "教育文体"
    assert out[2]["needs_triage"] is True and out[2]["confidence"] == 0.0
    assert all(len(o["top3"]) == 3 and 0.0 <= o["negativity"] <= 1.0 for o in out)
    data = write_csv(tmp_path / "in.csv", tiny_rows()[:4])
    result = CliRunner().invoke(cli(), ["model", "predict", "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert len(result.output.splitlines()) == 4
