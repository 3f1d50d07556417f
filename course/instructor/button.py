"""The Export button of notebook 06: one anywidget (the module's one widget technology), whose browser half is
``static/export.js`` and ``static/export.css``.

When the student's identity is a login that many people share (``jovyan`` on Binder, ``root``), the button
shows a name field first and exports under the name typed there; an export never replaces an earlier one
(see ``course.instructor.export``). From Python (tests, a notebook cell), do what a student does:
``b.name = "Ada"`` then ``b.click()``; read ``b.message``, ``b.ok`` and ``b.path``.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from ..quiz.messages import t
from .export import export_message, student_name

STATIC = Path(__file__).resolve().parent / "static"



def _login() -> str:
    try:
        return student_name()
    except Exception:  # noqa: BLE001 - getpass can fail in odd environments: then a name is asked for
        return ""


class ExportButton(anywidget.AnyWidget):
    """A button "Export my progress" (and a name field on a shared login) with the result under it."""

    _esm = STATIC / "export.js"
    _css = STATIC / "export.css"

    ask_name = traitlets.Bool(False).tag(sync=True)
    name = traitlets.Unicode("").tag(sync=True)
    labels = traitlets.Dict().tag(sync=True)
    message = traitlets.Unicode("").tag(sync=True)
    status = traitlets.Unicode("").tag(sync=True)  # "", "ok" or "problem"
    seq = traitlets.Int(0).tag(sync=True)  # one more per result, so the same message twice is announced twice

    def __init__(self, folder: Path | str | None = None, student: str | None = None, **kwargs: Any):
        from ..identity import is_shared_login

        self.folder, self.student = folder, student
        self.path: Path | None = None
        self.ok: bool | None = None
        self.login = _login()
        ask = not (student and student.strip()) and (not self.login or is_shared_login(self.login))
        shown = self.login or "(none)"
        labels = {"button": t("export_button"), "tooltip": t("export_tooltip"), "name": t("export_name_label"),
                  "help": t("export_name_help", login=shown, button=t("export_button"))}
        super().__init__(ask_name=ask, labels=labels, **kwargs)
        self.on_msg(self._on_msg)

    def _on_msg(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("event") == "export":
            if isinstance(content.get("name"), str) and self.ask_name:
                self.name = content["name"]
            self.click()

    def click(self) -> None:
        """Export, as a press of the button does."""
        if self.student and self.student.strip():
            who: str | None = self.student
        elif self.ask_name:
            from ..identity import is_shared_login

            who = self.name.strip()
            if not who or is_shared_login(who):
                self._show(False, t("export_ask_first", login=self.login or "(none)"), None)
                return
        else:
            who = None
        self._show(*export_message(self.folder, who))

    def _show(self, ok: bool, message: str, path: Path | None) -> None:
        self.ok, self.path = ok, path
        with self.hold_sync():
            self.message = message
            self.status = "ok" if ok else "problem"
            self.seq += 1

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = anywidget.AnyWidget._repr_mimebundle_(self, **kwargs)
        data = dict((bundle[0] if isinstance(bundle, tuple) else bundle) or {})
        data["text/plain"] = f"[{t('export_button')}] ({t('export_static_plain')})"
        data["text/html"] = (f"<p><strong>[{html.escape(t('export_button'))}]</strong> "
                             f"<em>{html.escape(t('export_static'), quote=False)}</em></p>")
        return data


def export_button(folder: Path | str | None = None, student: str | None = None) -> ExportButton:
    """A button "Export my progress": it writes progress-<your name>.json (in ``folder``, default the current
    folder) for your instructor and says where; on a shared login it asks for your name first; if the export
    fails, it says why and what to do instead."""
    return ExportButton(folder, student)

