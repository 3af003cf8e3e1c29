"""SLA timers: one pending step per deadline

A deadline now has one timer armed at a time, its next step; firing a step arms the one
after it (routing.sla.firing). Cycles armed before this revision have every step pending:
all but the earliest pending step of each deadline are cancelled here (firing that one
plans the next again, from the cycle as it is then), and a partial unique index keeps the
rule from now on, so no step can ever be armed twice and fire twice.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

DEADLINE = "split_part(kind, '_', 1)"  # ack_warn -> ack, resolve_escalate_2 -> resolve


def upgrade() -> None:
    op.execute(
        f"""
        UPDATE sla_timers t SET state = 'cancelled'
         WHERE t.state = 'pending' AND EXISTS (
               SELECT 1 FROM sla_timers e
                WHERE e.state = 'pending' AND e.assignment_id = t.assignment_id AND e.cycle = t.cycle
                  AND split_part(e.kind, '_', 1) = split_part(t.kind, '_', 1)
                  AND (e.due_at, e.id) < (t.due_at, t.id))
        """  # noqa: S608 (a constant)
    )
    op.create_index(
        "uq_sla_timers_pending_step",
        "sla_timers",
        ["assignment_id", "cycle", sa.text(DEADLINE)],
        unique=True,
        postgresql_where=sa.text("state = 'pending'"),
    )


def downgrade() -> None:
    # The code before this revision arms every step up front and never arms a next one: run
    # against chained cycles, it would miss their later steps (breaches, escalations). Their
    # times come from the working calendar, which SQL cannot plan, so this stops here.
    raise RuntimeError(
        "0007 cannot be downgraded: cycles armed since hold only their next SLA step, and the "
        "code before 0007 would never arm the rest; restore a backup taken before the upgrade"
    )
