"""Where other apps add to casework's pages without casework importing them.

`referrals` (and later apps) register a panel for the case page in their AppConfig.ready;
casework renders whatever is registered, in order.
"""

from collections.abc import Callable

from django.http import HttpRequest

CasePanel = Callable[[HttpRequest, object], str]
_case_panels: list[CasePanel] = []


def register_case_panel(panel: CasePanel) -> CasePanel:
    if panel not in _case_panels:
        _case_panels.append(panel)
    return panel


def case_panels(request: HttpRequest, case) -> list[str]:
    return [panel(request, case) for panel in _case_panels]
