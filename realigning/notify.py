"""Telling people about relapse: an email when a flag opens, and a daily digest."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone

from initiatives.models import Initiative
from realigning.models import RelapseFlag


def _recipients(initiative: Initiative) -> list[str]:
    people = (initiative.leader, initiative.sponsor)
    return sorted({p.email for p in people if p.email and p.is_active})


def flag_url(flag: RelapseFlag) -> str:
    return reverse("realigning:control-chart", args=[flag.metric.initiative_id, flag.metric_id])


def send_flag_opened(flag_id: int) -> bool:
    """Email the leader and sponsor about a new flag; False when already sent or gone.

    Raises on a mail server failure, so the calling task retries it.
    """
    flag = (
        RelapseFlag.objects.select_related(
            "metric__initiative__leader", "metric__initiative__sponsor"
        )
        .filter(pk=flag_id, notified_at__isnull=True)
        .first()
    )
    if flag is None:
        return False
    initiative = flag.metric.initiative
    evidence = flag.evidence or {}
    body = (
        f"The KPI “{flag.metric.name}” of “{initiative.title}” is sliding back toward its "
        f"baseline.\n\nRule: {flag.rule}\nSeverity: {flag.get_severity_display()}\n"
        f"Slide began: {flag.slide_began}\nFired on: {flag.fired_on}\n"
        f"Sustained level: {evidence.get('level', '?')}\n\n"
        f"Open the control chart: {settings.SITE_URL}{flag_url(flag)}\n"
    )
    send_mail(
        subject=f"[Holdfast] Relapse: {flag.metric.name} ({initiative.title})",
        message=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=_recipients(initiative),
    )
    RelapseFlag.objects.filter(pk=flag.pk, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    return True


def send_daily_digest() -> int:
    """One email per person with the active flags of the initiatives they lead or sponsor."""
    flags = RelapseFlag.objects.active().select_related(
        "metric__initiative__leader", "metric__initiative__sponsor"
    )
    by_person: dict[str, list[RelapseFlag]] = {}
    for flag in flags:
        for email in _recipients(flag.metric.initiative):
            by_person.setdefault(email, []).append(flag)
    for email, person_flags in by_person.items():
        lines = [
            f"- {f.metric.initiative.title}: {f.metric.name} ({f.get_status_display()}, "
            f"{f.get_severity_display()}, since {f.slide_began})"
            for f in person_flags
        ]
        send_mail(
            subject=f"[Holdfast] {len(person_flags)} relapse flag(s) need attention",
            message="Active relapse flags:\n\n" + "\n".join(lines),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[email],
        )
    return len(by_person)
