"""The 支援内容 table of the plan form: a header per column, every input labelled with its
column and row, errors in the row, rows added in one submit, rows marked 削除 left out, and
a restored draft with all of its rows."""

from __future__ import annotations

import datetime
from html.parser import HTMLParser

from django.urls import reverse

from casework.models import SupportPlan
from tests.casework.page_helpers import TODAY, url


class _Table(HTMLParser):
    """What a user (or a screen reader) finds in the plan form: column headers, labels by
    the id they name, and the controls of each row of the actions table's body."""

    def __init__(self) -> None:
        super().__init__()
        self.headers: list[str] = []
        self.labels: dict[str, str] = {}
        self.rows: list[list[dict[str, str]]] = []
        self.errors: dict[str, str] = {}  # error element id -> its text
        self._text: list[str] | None = None
        self._label_for = ""
        self._error_id = ""
        self._in_body = self._in_template = False

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "template":
            self._in_template = True
        if self._in_template:
            return
        if tag == "th" and a.get("scope") == "col":
            self._text, self._label_for = [], "<th>"
        elif tag == "label":
            self._text, self._label_for = [], a.get("for", "")
        elif tag == "p" and "error" in a.get("class", "") and a.get("id"):
            self._text, self._error_id = [], a["id"]
        elif tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self.rows.append([])
        elif tag in ("input", "select", "textarea") and self._in_body:
            self.rows[-1].append({"tag": tag, **a})

    def handle_endtag(self, tag):
        if tag == "template":
            self._in_template = False
        elif tag == "tbody":
            self._in_body = False
        elif self._text is not None and tag in ("th", "label", "p"):
            text = "".join(self._text).strip()
            if tag == "th":
                self.headers.append(text)
            elif tag == "label":
                self.labels[self._label_for] = text
            else:
                self.errors[self._error_id] = text
            self._text = None

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)


def _parse(response) -> _Table:
    table = _Table()
    table.feed(response.content.decode())
    return table


def _plan_post(rows, *, initial=0, **overrides):
    today = TODAY()
    data = {
        "long_term_goal": "安定した生活",
        "short_term_goals": "家計の見直し",
        "period_start": today.isoformat(),
        "period_end": (today + datetime.timedelta(days=180)).isoformat(),
        "next_monitoring_on": (today + datetime.timedelta(days=30)).isoformat(),
        "actions-TOTAL_FORMS": str(len(rows)),
        "actions-INITIAL_FORMS": str(initial),
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "20",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"actions-{index}-{name}"] = value
    data.update(overrides)
    return data


THREE_ROWS = [
    {"description": "家計相談", "frequency": "月1回"},
    {"description": "ハローワーク同行", "agency_note": "ハローワーク新宿", "frequency": "週1回"},
    {"description": "通院同行", "frequency": "2週に1回"},
]


def test_the_table_names_its_columns_and_every_control_its_column_and_row(client, cast, assessed):
    client.force_login(cast.csw_a)
    page = _parse(client.get(url("plan_new", assessed)))
    assert page.headers == ["支援内容", "担当機関", "担当(機関外)", "頻度", "就労支援", "削除"]
    # Without the script, two blank rows to fill.
    assert len(page.rows) == 2
    for number, row in enumerate(page.rows, start=1):
        names = [(c["tag"], c["name"]) for c in row]
        index = number - 1
        assert names == [
            ("input", f"actions-{index}-description"),
            ("select", f"actions-{index}-agency"),
            ("input", f"actions-{index}-agency_note"),
            ("input", f"actions-{index}-frequency"),
            ("input", f"actions-{index}-is_employment_support"),
            ("input", f"actions-{index}-DELETE"),
        ]
        assert row[4]["type"] == "checkbox"
        assert [page.labels[c["id"]] for c in row] == [
            f"{column} {number}行目" for column in page.headers
        ]


def test_the_add_row_button_copies_an_empty_row_with_placeholders(client, cast, assessed):
    client.force_login(cast.csw_a)
    html = client.get(url("plan_new", assessed)).content.decode()
    template = html[html.index('<template id="plan-action-template">') : html.index("</template>")]
    assert 'name="actions-__prefix__-description"' in template
    assert "支援内容 __row__行目" in template and "削除 __row__行目" in template
    # A new row carries the employment mark too: the script copies the formset's empty row.
    assert 'name="actions-__prefix__-is_employment_support"' in template
    assert "就労支援 __row__行目" in template
    # Hidden until the script shows it: without the script the page says how to add rows.
    assert 'data-add-row="plan-actions" data-max="20" hidden>行を追加</button>' in html
    assert "行が足りないときは、保存してから編集で追加できます。" in html
    assert 'src="/static/js/plan_actions.js"' in html


def test_three_new_rows_in_one_submit_make_three_actions(client, cast, assessed):
    client.force_login(cast.csw_a)
    # Three rows: one more than the blank rows the page renders (the script added it).
    response = client.post(url("plan_new", assessed), _plan_post(THREE_ROWS), follow=True)
    plan = SupportPlan.objects.get()
    assert response.redirect_chain[-1][0] == url("plan_detail", plan)
    page = response.content.decode()
    listed = page[page.index("<h2>支援内容</h2>") :]
    positions = [listed.index(row["description"]) for row in THREE_ROWS]
    assert positions == sorted(positions)  # in the order typed
    assert "ハローワーク新宿" in listed and "2週に1回" in listed
    assert list(plan.actions.values_list("description", flat=True)) == [
        "家計相談",
        "ハローワーク同行",
        "通院同行",
    ]


def test_a_row_error_is_shown_in_its_row_next_to_the_field(client, cast, assessed):
    client.force_login(cast.csw_a)
    rows = [THREE_ROWS[0], {"description": "", "frequency": "毎日"}]
    response = client.post(url("plan_new", assessed), _plan_post(rows))
    assert response.status_code == 400
    assert not SupportPlan.objects.exists()
    page = _parse(response)
    second = page.rows[1][0]
    assert second["name"] == "actions-1-description"
    assert second["aria-invalid"] == "true"
    assert second["aria-describedby"] == "id_actions-1-description_error"
    assert page.errors == {"id_actions-1-description_error": "支援内容を入力してください。"}
    # What was typed stays in the row; the first row has no error.
    assert page.rows[1][3]["value"] == "毎日"
    assert "aria-invalid" not in page.rows[0][0]
    html = response.content.decode()
    assert (
        '<a href="#id_actions-1-description">支援内容 2行目: 支援内容を入力してください。</a>'
        in html
    )


def test_a_row_marked_delete_is_left_out_even_half_filled(client, cast, assessed, workflow):
    plan = workflow.draft_plan(assessed, cast.csw_a)
    client.force_login(cast.csw_a)
    page = _parse(client.get(url("plan_edit", plan)))
    # The plan's one action, then two blank rows.
    assert len(page.rows) == 3 and page.rows[0][0]["value"] == "家計相談"
    rows = [
        {"description": "家計相談", "DELETE": "on"},
        {"description": "通院同行"},
        {"description": "", "frequency": "毎日", "DELETE": "on"},  # would be refused
    ]
    data = _plan_post(rows, initial=1, version=str(plan.revision))
    assert client.post(url("plan_edit", plan), data).status_code == 302
    assert list(plan.actions.values_list("description", flat=True)) == ["通院同行"]
    detail = client.get(url("plan_detail", plan)).content.decode()
    listed = detail[detail.index("<h2>支援内容</h2>") :]
    assert "通院同行" in listed and "家計相談" not in listed


def test_a_restored_draft_shows_every_row_it_had(client, cast, assessed):
    path = url("plan_new", assessed)
    client.force_login(cast.csw_a)
    rows = [{"description": f"支援{n}", "frequency": f"週{n}回"} for n in range(1, 6)]
    autosave = reverse("casework:draft_autosave") + f"?path={path}"
    assert client.post(autosave, _plan_post(rows)).status_code < 400
    page = _parse(client.get(path, {"draft": "restore"}))
    assert [row[0]["value"] for row in page.rows] == [r["description"] for r in rows]
    assert [row[3]["value"] for row in page.rows] == [r["frequency"] for r in rows]
    assert page.labels[page.rows[4][0]["id"]] == "支援内容 5行目"
    html = client.get(path, {"draft": "restore"}).content.decode()
    assert 'name="actions-TOTAL_FORMS" value="5"' in html


def test_the_labels_read_in_english_too(client, cast, assessed):
    client.force_login(cast.csw_a)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(url("plan_new", assessed))
    page = _parse(response)
    assert page.headers[-1] == "Delete"
    assert page.labels[page.rows[1][0]["id"]] == "Support actions, row 2"
    assert "Add a row" in response.content.decode()


def test_the_employment_mark_is_saved_shown_and_edited(client, cast, assessed, workflow):
    client.force_login(cast.csw_a)
    rows = [
        {"description": "家計相談", "frequency": "月1回"},
        {"description": "ハローワーク同行", "is_employment_support": "on"},
    ]
    assert client.post(url("plan_new", assessed), _plan_post(rows)).status_code == 302
    plan = SupportPlan.objects.get()
    assert list(plan.actions.values_list("description", "is_employment_support")) == [
        ("家計相談", False),
        ("ハローワーク同行", True),
    ]
    detail = client.get(url("plan_detail", plan)).content.decode()
    listed = detail[detail.index("<h2>支援内容</h2>") : detail.index("<h2>モニタリング・評価</h2>")]
    assert listed.count('<span class="tag">就労支援</span>') == 1
    # Editing shows the mark ticked on its row.
    page = _parse(client.get(url("plan_edit", plan)))
    assert "checked" not in page.rows[0][4] and "checked" in page.rows[1][4]
    # Unticking it is a change of the plan, saved.
    rows[1].pop("is_employment_support")
    data = _plan_post(rows, initial=2, version=str(plan.revision))
    assert client.post(url("plan_edit", plan), data).status_code == 302
    assert not plan.actions.filter(is_employment_support=True).exists()


def test_a_mark_alone_on_a_blank_row_asks_for_the_action(client, cast, assessed):
    client.force_login(cast.csw_a)
    rows = [THREE_ROWS[0], {"description": "", "is_employment_support": "on"}]
    response = client.post(url("plan_new", assessed), _plan_post(rows))
    assert response.status_code == 400
    assert _parse(response).errors == {
        "id_actions-1-description_error": "支援内容を入力してください。"
    }
