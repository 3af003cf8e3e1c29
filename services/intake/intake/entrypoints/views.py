"""The citizen's view of their complaint, built from its row, status view and timeline."""

from __future__ import annotations

from intake.adapters.tables import Complaint, ComplaintStatus, TimelineEntry
from intake.domain import categories
from intake.domain.status import LABELS
from intake.entrypoints import schemas as s


def category_out(code: str) -> s.CategoryOut:
    c = categories.BY_CODE[code]
    return s.CategoryOut(code=c.code, name={"zh-CN": c.zh, "en": c.en})


def citizen_view(
    complaint: Complaint, view: ComplaintStatus, timeline: list[TimelineEntry]
) -> s.ComplaintView:
    zh, en = LABELS[view.state]
    submitted = s.TimelineItem(at=complaint.submitted_at, kind="submitted", detail={})
    return s.ComplaintView(
        tracking_code=complaint.tracking_code,
        category=category_out(complaint.category),
        priority=complaint.priority,
        description=complaint.description,
        location=s.LocationOut(lat=complaint.lat, lon=complaint.lon, address=complaint.address),
        anonymous=complaint.anonymous,
        state=view.state,
        state_label={"zh-CN": zh, "en": en},
        submitted_at=complaint.submitted_at,
        updated_at=view.updated_at,
        unit=s.UnitOut(id=view.unit_id, name=view.unit_name) if view.unit_id else None,
        deadlines=s.DeadlinesOut(acknowledge_by=view.ack_due, resolve_by=view.resolve_due),
        answer=view.answer,
        resolved_at=view.resolved_at,
        information_request=s.InformationRequestOut(question=view.question, asked_at=view.question_at)
        if view.question
        else None,
        feedback=s.FeedbackOut(requested=view.feedback_requested, until=view.feedback_closes_at),
        timeline=[submitted, *(s.TimelineItem(at=t.at, kind=t.kind, detail=t.detail) for t in timeline)],
    )
