"""Widgets opened under a request id of their own, so that a notebook run by nbclient (nbconvert --execute,
papermill) does not save their state and its HTML export shows the static view (issue 12, item 8; the export
itself is tested in a browser, offline, in tests/browser/test_html_export.py)."""

from __future__ import annotations

from course.quiz import widgets
from course.quiz.widgets import state_not_saved_in_the_notebook


class FakeKernel:
    def __init__(self):
        self.parent = {"header": {"msg_id": "cell-1", "session": "s"}, "content": {}}

    def get_parent(self, channel=None):
        return self.parent


def test_messages_sent_inside_the_block_answer_a_request_of_their_own(monkeypatch):
    kernel = FakeKernel()
    monkeypatch.setattr(widgets, "_kernel", lambda: kernel)
    with state_not_saved_in_the_notebook():
        inside = kernel.get_parent()
        with state_not_saved_in_the_notebook():  # nested: restored in order
            nested = kernel.get_parent("shell")
        assert kernel.get_parent() == inside
    assert inside["header"]["msg_id"].startswith("course-widget-")
    assert inside["header"]["session"] == "s"
    assert nested["header"]["msg_id"].startswith("course-widget-")
    assert kernel.get_parent() is kernel.parent
    assert "get_parent" not in vars(kernel)
    assert kernel.parent["header"]["msg_id"] == "cell-1"  # the cell's own request is never changed


def test_without_a_kernel_nothing_changes(monkeypatch):
    monkeypatch.setattr(widgets, "_kernel", lambda: None)
    with state_not_saved_in_the_notebook():
        pass


def test_an_empty_parent_stays_empty(monkeypatch):
    kernel = FakeKernel()
    kernel.parent = {}
    monkeypatch.setattr(widgets, "_kernel", lambda: kernel)
    with state_not_saved_in_the_notebook():
        assert kernel.get_parent() == {}
