"""Reads for the community work pages. Counts and names of groups, events and services are
not personal data; participants are persons, shown only where casework.access allows."""

from django.db.models import Count, Q, Sum

from casework import access
from outreach.models import (
    ActivityGroup,
    AwarenessEvent,
    GroupParticipant,
    GroupSession,
    LifeSupportService,
)


def may_view_community(user) -> bool:
    membership = access.membership_of(user)
    return membership is not None and (
        membership.handles_cases or membership.role == "indicator_officer"
    )


def events():
    return AwarenessEvent.objects.select_related("district", "organizer").order_by(
        "-held_on", "-pk"
    )


def groups():
    return (
        ActivityGroup.objects.select_related("district", "supporting_agency")
        .annotate(
            session_count=Count("sessions", distinct=True),
            attendance_total=Sum("sessions__attendance"),
            participant_count=Count(
                "participants", filter=Q(participants__left_on__isnull=True), distinct=True
            ),
        )
        .order_by("district__sort_order", "name")
    )


def group_sessions(group):
    return GroupSession.objects.filter(group=group).order_by("-held_on")


def group_participants(user, group):
    """The participants whose person the user may see; the others only as a number."""
    participants = GroupParticipant.objects.filter(group=group, left_on__isnull=True)
    shown = participants.filter(person__in=access.persons_visible_to(user)).select_related("person")
    return list(shown), participants.count()


def services():
    return LifeSupportService.objects.select_related("district", "supported_by").order_by(
        "-created_on", "-pk"
    )
