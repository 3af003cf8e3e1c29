"""The citizen's view of their complaint, built from its row, status view and timeline."""

from __future__ import annotations

from intake.adapters.hotspot_tables import IntakeHotspot
from intake.adapters.tables import Complaint, ComplaintStatus, TimelineEntry
from intake.domain import categories
from intake.domain.hotspots import citizen_status
from intake.domain.status import LABELS
from intake.entrypoints import schemas as s


def category_out(code: str) -> s.CategoryOut:
    c = categories.BY_CODE[code]
    return s.CategoryOut(code=c.code, name={"zh-CN": c.zh, "en": c.en})


def hotspot_out(h: IntakeHotspot | None) -> s.HotspotOut | None:
    status = citizen_status(h.adopted_at, h.solved_at) if h else None
    if h is None or status is None:
        return None
    return s.HotspotOut(
        complaints_in_it=h.complaint_count,
        owner_unit_name=h.owner_unit_name,
        deadline=h.deadline,
        status=status,
        solved_at=h.solved_at,
        solved_summary=h.solved_summary,
    )


def citizen_view(
    complaint: Complaint,
    view: ComplaintStatus,
    timeline: list[TimelineEntry],
    hotspot: IntakeHotspot | None = None,
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
        hotspot=hotspot_out(hotspot),
        timeline=[submitted, *(s.TimelineItem(at=t.at, kind=t.kind, detail=t.detail) for t in timeline)],
    )
