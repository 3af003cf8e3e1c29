"""Who may see a citizen's contact data."""

from __future__ import annotations

from huiyin.auth.tokens import Principal, Role
from intake.domain.contact_access import contact_refusal


def who(role: Role, unit: str | None) -> Principal:
    return Principal(user_id="u1", username="u1", role=role, unit_id=unit)


def test_the_handling_units_officers_and_head_may() -> None:
    for role in (Role.OFFICER, Role.STATION_HEAD):
        assert contact_refusal(who(role, "ps-1"), handling_unit_id="ps-1", subject_unit_id=None) is None


def test_other_units_may_not() -> None:
    refusal = contact_refusal(who(Role.OFFICER, "ps-2"), handling_unit_id="ps-1", subject_unit_id=None)
    assert refusal is not None and "handling" in refusal
    assert contact_refusal(who(Role.OFFICER, "ps-1"), handling_unit_id=None, subject_unit_id=None) is not None


def test_supervision_may_see_any_complaint() -> None:
    assert (
        contact_refusal(who(Role.SUPERVISION, "sup"), handling_unit_id="ps-1", subject_unit_id="ps-1") is None
    )


def test_a_unit_the_complaint_is_about_never_sees_the_identity() -> None:
    for role in (Role.OFFICER, Role.STATION_HEAD, Role.SUPERVISION):
        refusal = contact_refusal(who(role, "ps-1"), handling_unit_id="ps-1", subject_unit_id="ps-1")
        assert refusal is not None and "about your unit" in refusal


def test_roles_without_a_call_back_duty_may_not() -> None:
    for role in (Role.ADMIN, Role.DISTRICT_SUPERVISOR):
        assert contact_refusal(who(role, "ps-1"), handling_unit_id="ps-1", subject_unit_id=None) is not None
