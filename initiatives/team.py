"""Team design: is the mix of expertise deliberately diverse?"""

from collections import Counter
from dataclasses import dataclass


@dataclass
class ExpertiseMix:
    departments: dict[str, int]
    skills: dict[str, int]
    warnings: list[str]


def expertise_mix(memberships) -> ExpertiseMix:
    memberships = list(memberships)
    departments = Counter(m.department.name for m in memberships if m.department)
    skills = Counter(skill for m in memberships for skill in m.skill_list)
    warnings = []
    if (
        len(memberships) >= 2
        and len(departments) == 1
        and sum(departments.values()) == len(memberships)
    ):
        only = next(iter(departments))
        warnings.append(
            f"The whole team comes from {only}: a customer-centric change crosses "
            "departments, so add people from the others it touches."
        )
    if memberships and not departments:
        warnings.append("No team member has a department yet.")
    return ExpertiseMix(dict(departments), dict(skills), warnings)
