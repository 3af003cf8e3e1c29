"""What routing, SLA and feedback events do to the citizen's status view."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from huiyin.events import assignments as a
from huiyin.events import feedback as f
from huiyin.events import sla as s
from huiyin.events.complaints import ComplaintWithdrawn
from intake.domain import status as st
from intake.domain.view_changes import change_for

C, A = uuid.uuid4(), uuid.uuid4()
AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def routed(reason: str = "initial") -> a.ComplaintRouted:
    return a.ComplaintRouted(
        complaint_id=C, assignment_id=A, unit_id="ps-1", unit_name="文三派出所", unit_kind="station",
        district_id="d-1", district_name="西湖分局", category="noise", priority="normal", reason=reason,  # type: ignore[arg-type]
        rule="jurisdiction", explanation="covers the point", candidates=[], routed_at=AT, cycle=1,
        ack_due=AT + timedelta(hours=2), resolve_due=AT + timedelta(days=5), calendar="workdays",
    )  # fmt: skip


def test_routing_sets_the_unit_deadlines_and_a_public_entry() -> None:
    change = change_for(routed())
    assert change is not None and change.state == st.ROUTED
    assert change.fields["unit_name"] == "文三派出所" and change.fields["resolve_due"] == AT + timedelta(
        days=5
    )
    assert change.timeline == ("routed", {"unit_name": "文三派出所"})
    assert change_for(routed("return")).state == st.REROUTED  # type: ignore[union-attr]
    assert change_for(routed("manual")).state == st.ROUTED  # type: ignore[union-attr]


def test_public_timeline_has_no_staff_names_or_internal_notes() -> None:
    events = [
        a.ComplaintAcknowledged(complaint_id=C, assignment_id=A, unit_id="ps-1", cycle=1, by="officer-wang",
                                at=AT, due=AT, met=True, wall_s=1, working_s=1),
        a.ProgressNoted(complaint_id=C, assignment_id=A, unit_id="ps-1", note="内部：先联系物业", by="officer-wang", at=AT),
        a.ComplaintReturned(complaint_id=C, assignment_id=A, unit_id="ps-1", cycle=1, reason="不属于本所辖区",
                            by="officer-wang", at=AT, ack_met=True),
        a.InformationRequested(complaint_id=C, assignment_id=A, unit_id="ps-1", question="请提供具体楼层", by="officer-wang", at=AT),
        a.ComplaintResolved(complaint_id=C, assignment_id=A, unit_id="ps-1", cycle=1, by="officer-wang", at=AT,
                            due=AT, met=True, wall_s=1, working_s=1, answer="已上门劝导"),
    ]  # fmt: skip
    entries = [c.timeline for e in events if (c := change_for(e)) is not None and c.timeline]
    assert [kind for kind, _ in entries] == ["acknowledged", "information_requested", "resolved"]
    for _, detail in entries:
        assert "officer-wang" not in str(detail)
        assert "内部" not in str(detail) and "辖区" not in str(detail)


def test_states_follow_the_lifecycle() -> None:
    def state(e: object) -> str | None:
        change = change_for(e)  # type: ignore[arg-type]
        return change.state if change else None

    ids = {"complaint_id": C, "assignment_id": A, "unit_id": "ps-1"}
    assert state(a.InformationRequested(**ids, question="?", by="x", at=AT)) == st.AWAITING_CITIZEN
    assert state(a.ComplaintResumed(**ids, cycle=1, at=AT, paused_s=5, resolve_due=AT)) == st.IN_PROGRESS
    assert (
        state(
            a.ComplaintTransferred(**ids, cycle=1, to_unit_id="ps-2", reason="r", by="x", at=AT, ack_met=None)
        )
        == st.RETURNED
    )
    assert (
        state(a.ComplaintUnroutable(complaint_id=C, unit_id="dispatch", reason="outside", at=AT))
        == st.UNROUTABLE
    )
    assert state(a.ComplaintClosed(complaint_id=C, unit_id="ps-1", reason="verdict", at=AT)) == st.CLOSED
    reopened = a.ComplaintReopened(**ids, unit_name="文三派出所", unit_kind="station", district_id=None, district_name=None,
                                   category="noise", cycle=2, reopened_at=AT, ack_due=AT, resolve_due=AT)  # fmt: skip
    change = change_for(reopened)
    assert change is not None and change.state == st.REOPENED and change.fields["answer"] is None


def test_a_note_moves_to_in_progress_only_from_acknowledged() -> None:
    change = change_for(
        a.ProgressNoted(complaint_id=C, assignment_id=A, unit_id="ps-1", note="n", by="x", at=AT)
    )
    assert change is not None and change.only_from == frozenset({st.ACKNOWLEDGED})


def test_feedback_and_deadline_events_change_fields_not_the_state() -> None:
    req = change_for(
        f.FeedbackRequested(
            complaint_id=C, unit_id="ps-1", cycle=1, requested_at=AT, closes_at=AT + timedelta(days=7)
        )
    )
    assert (
        req is not None
        and req.state is None
        and req.fields == {"feedback_requested": True, "feedback_closes_at": AT + timedelta(days=7)}
    )
    assert req.timeline is not None and req.timeline[0] == "feedback_requested"
    done = change_for(f.FeedbackExpired(complaint_id=C, unit_id="ps-1", cycle=1, at=AT))
    assert done is not None and done.fields == {"feedback_requested": False}
    recomputed = change_for(s.DeadlinesRecomputed(complaint_id=C, assignment_id=A, unit_id="ps-1", cycle=1,
                                                   ack_due=AT, resolve_due=AT, provisional=False, at=AT))  # fmt: skip
    assert recomputed is not None and recomputed.only_for_assignment == A and recomputed.state is None


def test_events_without_a_visible_effect_change_nothing() -> None:
    warning = s.SlaWarning(
        complaint_id=C, assignment_id=A, unit_id="ps-1", cycle=1, kind="ack", due=AT, at=AT
    )
    assert change_for(warning) is None
    assert change_for(ComplaintWithdrawn(state_before="routed", complaint_id=C, withdrawn_at=AT)) is None
