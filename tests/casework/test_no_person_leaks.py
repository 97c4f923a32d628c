"""The content test: no page names a person outside what docs/access.md lets its reader see.

One world is built through the real services. Each person in it has a name, kana, phone and
address found nowhere else, and stands in exactly one relationship to the cast (a case
assigned to csw_a, a case nobody works, a share, a referral in each state, a visit, watch
reports, a group participant, a meeting). Then every member of the cast, and a system admin,
opens every page of the project: every URL pattern (the admin's too), its ids filled with
every object of the world of the URL's kind, the pages without an id, the searches for each
person's name, and the query strings that change whom a list shows. Wherever a page answers
200, it must contain none of the strings of a person the member may not see.

Who may see whom is written out by hand (MAY_SEE in tests/casework/leak_world.py), from
docs/access.md, not computed by the code under test. The walk (tests/casework/page_walk.py)
is shared with tests/casework/test_access_log_coverage.py, which checks the access-log rows
the same requests wrote.
"""

from urllib.parse import unquote

from tests.casework.leak_world import MAY_SEE, PEOPLE, VISIT_STAFF, may_read
from tests.casework.page_walk import walk_once


def test_no_page_shows_a_person_the_member_may_not_see(client, settings, cast, workflow, open_case):
    walk = walk_once(client, settings, cast, workflow, open_case)
    assert not walk.unfilled, f"fill the parameters of these URLs in this test: {walk.unfilled}"
    print(walk.summary())

    leaks = sorted(
        f"{page.name} {unquote(page.url)} as {page.member}: {key}'s {what} "
        f"{PEOPLE[key].strings()[what]!r}"
        for page in walk.pages
        for key, what in page.shown
        if what not in may_read(page.member, key, page.name)
    )
    assert not leaks, f"{len(leaks)} pages name persons the reader may not see:\n" + "\n".join(
        leaks
    )


def test_every_member_is_shown_whom_they_may_see(client, settings, cast, workflow, open_case):
    """The content test means something only if the pages do show whom they may."""
    walk = walk_once(client, settings, cast, workflow, open_case)
    seen = {(page.member, key) for page in walk.pages for key in page.names()}
    expected = {(member, key) for member, keys in MAY_SEE.items() for key in keys}
    expected |= set(VISIT_STAFF)
    unseen = sorted(f"{member}: {key}" for member, key in expected - seen)
    assert not unseen, "never shown anywhere:\n" + "\n".join(unseen)
