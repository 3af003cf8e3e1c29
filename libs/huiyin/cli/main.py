"""The `huiyin` command."""

from __future__ import annotations

import typer

from huiyin.cli import kafka_cmds, stack

app = typer.Typer(
    help="Huiyin operator tools: run the stack locally, inspect topics and queues, manage data.",
    no_args_is_help=True,
)
app.add_typer(stack.app, name="stack")
app.add_typer(kafka_cmds.topics_app, name="topics")
app.add_typer(kafka_cmds.dlq_app, name="dlq")

if __name__ == "__main__":
    app()
