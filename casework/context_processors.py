from casework import access


def staff(request):
    """The signed-in user's agency and role, for the header of every page."""
    user = getattr(request, "user", None)
    membership = access.membership_of(user) if user is not None else None
    return {
        "membership": membership,
        "handles_cases": bool(membership and membership.handles_cases),
    }
