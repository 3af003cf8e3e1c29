"""Who may see a citizen's contact data (masked, or in clear with a recorded reason).

The unit handling the complaint may call the citizen back; supervision may always. A
unit the complaint is about never sees who complained, whatever else holds: citizens
complaining about the police must not fear the police they complained about.
"""

from __future__ import annotations

from huiyin.auth.tokens import Principal, Role

CONTACT_ROLES = (Role.OFFICER, Role.STATION_HEAD, Role.DISPATCH, Role.SUPERVISION)


def contact_refusal(
    principal: Principal, *, handling_unit_id: str | None, subject_unit_id: str | None
) -> str | None:
    """Why `principal` may not see the contact, or None when they may."""
    if principal.unit_id is not None and principal.unit_id == subject_unit_id:
        return "the complaint is about your unit: the complainant's identity is not shown to it"
    if principal.role == Role.SUPERVISION:
        return None
    if principal.role not in CONTACT_ROLES:
        return f"role {principal.role.value!r} may not see contact data"
    if principal.unit_id is None or principal.unit_id != handling_unit_id:
        return "only the unit currently handling the complaint (or supervision) may see its contact data"
    return None
