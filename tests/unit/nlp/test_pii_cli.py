"""`minyi redact`: personal data masked on the way from stdin to stdout, line by line."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from minyi.nlp.cli import register


def make_app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """Test entry point."""

    register(app)
    return app


def test_redact_filters_stdin_to_stdout_line_by_line() -> None:
    text = "我叫张伟，电话13812345678\n没有个人信息的一行\n邮箱zhang@163.com，住3栋2单元501室\n"
    result = CliRunner().invoke(make_app(), ["redact"], input=text)
    assert result.exit_code == 0, result.output
    assert result.output == "我叫【姓名】，电话【手机号】\n没有个人信息的一行\n邮箱【邮箱】，住【门牌地址】\n"


def test_redact_of_empty_input_prints_nothing() -> None:
    result = CliRunner().invoke(make_app(), ["redact"], input="")
    assert result.exit_code == 0
    assert result.output == ""
