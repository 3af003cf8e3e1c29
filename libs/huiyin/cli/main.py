"""The `huiyin` command."""

from __future__ import annotations

import typer

from huiyin.cli import data_cmds, kafka_cmds, report_cmds, stack, watch_cmds

app = typer.Typer(
    help=(
        "Huiyin operator tools. Each command reads the same environment variables as the "
        "services (KAFKA_BOOTSTRAP_SERVERS, INTAKE_/ROUTING_/FEEDBACK_DATABASE_URL, ...). "
        "Where are complaints stuck? Start with `huiyin outbox backlog`, `huiyin lag` and "
        "`huiyin dlq list <topic>`; docs/operations.md has the runbook."
    ),
    no_args_is_help=True,
)
RUN, WATCH, DATA, REPORT = "Run locally", "Watch the event flow", "Change data", "Check and export"
app.add_typer(stack.app, name="stack", rich_help_panel=RUN)
app.add_typer(kafka_cmds.topics_app, name="topics", rich_help_panel=WATCH)
app.add_typer(watch_cmds.outbox_app, name="outbox", rich_help_panel=WATCH)
app.command("lag", rich_help_panel=WATCH)(watch_cmds.lag)
app.add_typer(kafka_cmds.dlq_app, name="dlq", rich_help_panel=WATCH)
app.add_typer(data_cmds.rebuild_app, name="rebuild", rich_help_panel=DATA)
app.add_typer(data_cmds.calendar_app, name="calendar", rich_help_panel=DATA)
app.add_typer(data_cmds.users_app, name="users", rich_help_panel=DATA)
app.add_typer(data_cmds.seed_app, name="seed", rich_help_panel=DATA)
app.add_typer(report_cmds.audit_app, name="audit", rich_help_panel=REPORT)
app.add_typer(report_cmds.export_app, name="export", rich_help_panel=REPORT)
app.command("asyncapi", rich_help_panel=REPORT)(report_cmds.asyncapi)

if __name__ == "__main__":
    app()
