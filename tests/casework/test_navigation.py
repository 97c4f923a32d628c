"""The main menu: each role's entries, and the one the current page belongs to."""

import pytest
from django.test import RequestFactory

from casework import access
from casework.models import Agency, Role
from casework.navigation import main_menu
from tests.factories import AgencyFactory, StaffFactory

pytestmark = pytest.mark.django_db


def menu(user, path):
    request = RequestFactory().get(path)
    return main_menu(request, access.membership_of(user))


def labels(items):
    return [str(item.label) for item in items]


def current(items):
    return [str(item.label) for item in items if item.current]


def test_each_role_sees_its_own_entries(cast):
    assert labels(menu(cast.supervisor_a, "/")) == [
        "今日",
        "担当ケース",
        "本人検索",
        "新規受付",
        "つなぎ",
        "会議",
        "見守り通報",
        "訪問",
        "地域づくり",
        "成果指標",
        "ケース点検",
        "開示等の請求",
        "アクセス記録",
    ]
    csw = labels(menu(cast.csw_a, "/"))
    assert "成果指標" not in csw and "ケース点検" not in csw and "訪問" in csw
    assert "開示等の請求" in csw
    assert labels(menu(cast.indicator_officer, "/indicators/")) == [
        "地域づくり",
        "成果指標",
        "支援状況調査",
    ]
    assert menu(cast.outsider, "/") == []


def test_the_national_return_is_on_the_menu_of_the_agencies_that_file_it(cast):
    """支援状況調査: the supervisors of a 自立相談支援機関 and the ward's planners only."""
    filing = AgencyFactory(name="自立相談支援機関", kind=Agency.Kind.SELF_RELIANCE)
    supervisor = StaffFactory(username="sv_filing", agency=filing, role=Role.SUPERVISOR)
    worker = StaffFactory(username="worker_filing", agency=filing, role=Role.CONSULTATION)
    assert "支援状況調査" in labels(menu(supervisor, "/"))
    assert "支援状況調査" not in labels(menu(worker, "/"))
    assert "支援状況調査" not in labels(menu(cast.supervisor_a, "/"))  # 社協: does not file
    assert current(menu(supervisor, "/returns/snapshot/")) == ["支援状況調査"]


@pytest.mark.parametrize(
    ("path", "entry"),
    [
        ("/", ["今日"]),
        ("/cases/", ["担当ケース"]),
        ("/cases/7/contacts/new/", ["担当ケース"]),
        ("/contacts/3/correct/", ["担当ケース"]),
        ("/plans/2/", ["担当ケース"]),
        ("/cases/new/", ["新規受付"]),
        ("/persons/4/", ["本人検索"]),
        ("/referrals/9/", ["つなぎ"]),
        ("/rights/3/decide/", ["開示等の請求"]),
        ("/rights/retention/", ["開示等の請求"]),
        ("/rights/holds/new/4/", ["開示等の請求"]),
        ("/meetings/new/", ["会議"]),
        ("/outreach/reports/5/", ["見守り通報"]),
        ("/outreach/visits/5/record/", ["訪問"]),
        ("/outreach/cases/7/visits/new/", ["訪問"]),
        ("/outreach/community/groups/", ["地域づくり"]),
        ("/indicators/snapshot/", ["成果指標"]),
        ("/caseload/3/handover/", ["ケース点検"]),
        ("/access-log/", ["アクセス記録"]),
        # Pages of no menu entry mark none (not 「今日」, whose path prefixes every path).
        ("/notifications/", []),
        ("/reminders/settings/", []),
    ],
)
def test_the_current_page_marks_one_entry(cast, path, entry):
    assert current(menu(cast.supervisor_a, path)) == entry


def test_every_page_has_a_skip_link_to_main_and_marks_its_entry(client, cast):
    client.force_login(cast.csw_a)
    html = client.get("/cases/").content.decode()
    assert html.index('class="skip-link" href="#main"') < html.index("<header")
    assert '<main id="main"' in html
    assert 'aria-current="page">担当ケース</a>' in html
    header = html[html.index("<header") : html.index("</header>")]
    assert header.count('aria-current="page"') == 1
    assert 'aria-controls="site-menu"' in html and 'id="site-menu"' in html
