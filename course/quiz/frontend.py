"""The browser half of the quiz view: the JavaScript (an ES module for anywidget) and the CSS.

Kept as Python strings so that they travel with the package wherever it is installed, with no build
step and no npm. The view only displays what the Python side (``widgets.py``) puts in the widget's
state and reports what the student does: it writes the answer to the ``answer`` trait as it changes
and sends ``{"event": "press", "action": "check" | "hint" | "reveal", "answer": ...}`` when a button is
pressed.
No grading happens here, and no English: every word comes from ``messages.py`` through the state.

Accessibility, by construction (tests/browser/test_accessibility.py checks each point in a browser):

* every quiz is a region named by its "Question N" label; the prompt has an id;
* single choice: native radio buttons in one ``role="radiogroup"`` whose ``aria-labelledby`` is the
  question label and the prompt; multiple choice: native checkboxes in one ``role="group"`` named the
  same way; ordering and matching: one ``<select>`` per position or item, each with its own ``<label>``,
  in a group named by the prompt; numeric and reflection: a text field with a visible ``<label>``;
* feedback and hints go into live regions (``role="status"``) that exist from the start, so screen
  readers announce each new message; the same message twice is announced twice;
* "Show answer" while locked is ``aria-disabled`` (still focusable, its reason as a description)
  rather than ``disabled``, so keyboard and screen-reader users can find out why;
* no ``title`` attribute is ever set from an empty value (no "null" tooltips);
* DOM order is reading order (label, prompt, controls, buttons, feedback), so Tab follows it;
* keys pressed inside the quiz stay inside it: JupyterLab's and Notebook 7's command-mode shortcuts
  (arrows move between cells, D D deletes a cell, ...) would otherwise act on a focused radio button,
  list or button. Tab, Escape, Shift+Enter and anything with Ctrl, Alt or Cmd still reach the front end.
  (``keyboard.py`` installs a settings override that does the same for the arrow keys in every widget.)
"""

from __future__ import annotations

import json


def key_guard_js(selector: str, flag: str) -> str:
    """JavaScript that keeps keys pressed inside elements matching `selector` away from the notebook.

    JupyterLab's command-mode shortcuts (arrows move between cells, D D deletes a cell, A inserts one, 1-6 make
    a heading...) would otherwise act on a focused radio button, list, slider or button. One listener for the
    page, in the capture phase on window, so that it runs before the front end's own (JupyterLab listens in
    the bubbling phase, Notebook 7 in the capture phase on document). Only propagation stops: what the key
    does in the control itself (its default action) still happens. Tab, Escape, Shift+Enter and anything
    with Ctrl, Alt or Cmd still reach the front end. `flag` names the window property that makes it run once.
    """
    return f"""function guardKeys(event) {{
  const target = event.target;
  if (!(target instanceof Element) || !target.closest({json.dumps(selector)})) return;
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === "Tab" || event.key === "Escape" || (event.key === "Enter" && event.shiftKey)) return;
  event.stopPropagation();
}}
if (!window.{flag}) {{
  window.addEventListener("keydown", guardKeys, true);
  window.{flag} = true;
}}
"""


DOM_HELPER_JS = r"""// h("div", {class: "x", text: "..."}, ...children): a DOM element; attributes that are null,
// undefined or false are left out, and so is an empty title (never an empty or "null" tooltip).
function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "title" && !value) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) if (child) node.append(child);
  return node;
}
"""


QUIZ_ESM = r"""
let counter = 0;

__DOM_HELPER__
__KEY_GUARD__
function render({ model, el }) {
  const uid = `course-q${++counter}-${Math.random().toString(36).slice(2, 8)}`;
  const kind = model.get("kind");
  const spec = model.get("spec") || {};
  const ids = { label: `${uid}-label`, prompt: `${uid}-prompt` };
  const groupLabel = `${ids.label} ${ids.prompt}`;

  const setAnswer = (value) => {
    model.set("answer", value);
    model.save_changes();
  };
  // The answer travels with the press: ipywidgets may still hold back the last state update while the
  // kernel is busy, and a custom message would overtake it.
  const press = (action) => model.send({ event: "press", action, answer: model.get("answer") });

  const root = h("section", { class: `course-quiz course-quiz-${kind}`, "aria-labelledby": ids.label });
  root.append(
    h("p", { class: "course-quiz-label", id: ids.label }, h("strong", { text: model.get("label") })),
  );
  const prompt = h("div", { class: "course-quiz-prompt", id: ids.prompt });
  prompt.innerHTML = model.get("prompt_html"); // Markdown rendered in Python with raw HTML escaped
  root.append(prompt);

  const answer = model.get("answer");
  let control;
  if (kind === "single" || kind === "multiple") {
    const single = kind === "single";
    control = h("div", {
      class: "course-choices",
      role: single ? "radiogroup" : "group",
      "aria-labelledby": groupLabel,
    });
    const inputs = spec.options.map((text, i) => {
      const id = `${uid}-opt${i}`;
      const input = h("input", {
        type: single ? "radio" : "checkbox",
        id,
        name: `${uid}-choice`,
        value: String(i),
      });
      input.checked = single ? answer === text : Array.isArray(answer) && answer.includes(text);
      control.append(h("div", { class: "course-option" }, input, h("label", { for: id, text })));
      return input;
    });
    const sync = () => {
      const picked = spec.options.filter((_, i) => inputs[i].checked);
      setAnswer(single ? (picked.length ? picked[0] : null) : picked);
    };
    for (const input of inputs) input.addEventListener("change", sync);
  } else if (kind === "ordering" || kind === "matching") {
    const labels = kind === "ordering" ? spec.positions : spec.lefts;
    control = h("div", { class: "course-fields", role: "group", "aria-labelledby": groupLabel });
    const selects = labels.map((text, i) => {
      const id = `${uid}-field${i}`;
      const select = h("select", { id });
      select.append(h("option", { value: "", text: spec.choose }));
      spec.options.forEach((option, j) => select.append(h("option", { value: String(j), text: option })));
      const current = kind === "ordering" ? (answer || [])[i] : (answer || {})[text];
      const index = spec.options.indexOf(current);
      select.value = index >= 0 ? String(index) : "";
      control.append(h("label", { for: id, class: "course-field-label", text }), select);
      return select;
    });
    const value = (select) => (select.value === "" ? null : spec.options[Number(select.value)]);
    const sync = () => {
      if (kind === "ordering") setAnswer(selects.map(value));
      else setAnswer(Object.fromEntries(labels.map((left, i) => [left, value(selects[i])])));
    };
    for (const select of selects) {
      select.addEventListener("change", sync);
      select.addEventListener("input", sync);
    }
  } else {
    const id = `${uid}-text`;
    const numeric = kind === "numeric";
    const field = numeric
      ? h("input", { type: "text", id, inputmode: "decimal", autocomplete: "off", placeholder: spec.placeholder })
      : h("textarea", { id, rows: 4, placeholder: spec.placeholder });
    field.value = typeof answer === "string" ? answer : "";
    field.addEventListener("input", () => setAnswer(field.value));
    // A form, so that Enter in the number field checks the answer (the browser's own implicit submission).
    control = h(numeric ? "form" : "div", { class: numeric ? "course-fields course-numeric" : "course-reflection" },
      h("label", { for: id, class: "course-field-label", text: spec.label }));
    if (numeric && spec.unit) {
      const unitId = `${uid}-unit`;
      field.setAttribute("aria-describedby", unitId);
      control.append(h("span", { class: "course-unit-row" }, field,
        h("span", { class: "course-unit", id: unitId, text: spec.unit })));
    } else {
      control.append(field);
    }
    if (numeric) {
      control.addEventListener("submit", (event) => {
        event.preventDefault();
        setAnswer(field.value);
        press("check");
      });
    }
  }
  root.append(control);

  // Buttons: created once, updated in place (so focus is never lost when one unlocks).
  const bar = h("div", { class: "course-quiz-buttons" });
  const buttons = new Map();
  const drawButtons = () => {
    for (const spec of model.get("buttons")) {
      let button = buttons.get(spec.action);
      if (!button) {
        button = h("button", { type: "button", class: "course-button", "data-action": spec.action });
        if (spec.primary) button.classList.add("course-button-primary");
        button.addEventListener("click", () => {
          if (button.getAttribute("aria-disabled") !== "true") press(spec.action);
        });
        buttons.set(spec.action, button);
        bar.append(button);
      }
      button.textContent = spec.label;
      if (spec.description) button.setAttribute("title", spec.description);
      else button.removeAttribute("title");
      button.setAttribute("aria-disabled", spec.disabled ? "true" : "false");
    }
  };
  drawButtons();
  root.append(bar);

  // Live regions: present from the start, filled later.
  const region = (cls) => h("div", { class: cls, role: "status", "aria-live": "polite", "aria-atomic": "true" });
  const feedback = region("course-feedback course-feedback-empty");
  const hints = region("course-hint");
  root.append(feedback, hints);
  const fill = (node, html, cls) => {
    // Empty first, then fill: a message identical to the last one is announced again.
    node.innerHTML = "";
    if (cls) node.className = cls;
    setTimeout(() => { node.innerHTML = html; }, 50);
  };
  feedback.className = `course-feedback course-feedback-${model.get("feedback_status")}`;
  feedback.innerHTML = model.get("feedback_html");
  hints.innerHTML = model.get("hints_html");
  const onFeedback = () => fill(feedback, model.get("feedback_html"),
    `course-feedback course-feedback-${model.get("feedback_status")}`);
  const onHints = () => fill(hints, model.get("hints_html"));
  model.on("change:feedback_seq", onFeedback);
  model.on("change:hints_seq", onHints);
  model.on("change:buttons", drawButtons);

  el.append(root);
  return () => {
    model.off("change:feedback_seq", onFeedback);
    model.off("change:hints_seq", onHints);
    model.off("change:buttons", drawButtons);
  };
}

export default { render };
""".replace("__KEY_GUARD__", key_guard_js(".course-quiz", "__courseQuizKeyGuard")).replace(
    "__DOM_HELPER__", DOM_HELPER_JS)

PROGRESS_ESM = r"""
function render({ model, el }) {
  const root = document.createElement("div");
  root.className = "course-progress";
  const bar = document.createElement("div");
  bar.setAttribute("role", "progressbar");
  bar.setAttribute("aria-valuemin", "0");
  bar.setAttribute("aria-label", model.get("name"));
  bar.className = "course-progress-bar";
  const fill = document.createElement("div");
  fill.className = "course-progress-fill";
  bar.append(fill);
  const text = document.createElement("span");
  text.className = "course-progress-text";
  const draw = () => {
    const max = model.get("max"), value = model.get("value");
    bar.setAttribute("aria-valuemax", String(max));
    bar.setAttribute("aria-valuenow", String(value));
    bar.setAttribute("aria-valuetext", model.get("text"));
    fill.style.width = max > 0 ? `${(100 * value) / max}%` : "0%";
    text.textContent = model.get("text");
  };
  draw();
  model.on("change:value", draw);
  model.on("change:text", draw);
  root.append(bar, text);
  el.append(root);
  return () => {
    model.off("change:value", draw);
    model.off("change:text", draw);
  };
}

export default { render };
"""

# Colours come from JupyterLab's theme variables (so the dark theme works), with fallbacks for other
# front ends. Text is never lighter than --jp-ui-font-color1/--jp-content-font-color1; status is shown by
# words and symbols (✔ ✘ ◐ ⚠) first, by the coloured left border second.
QUIZ_CSS = r"""
.course-quiz {
  font-family: var(--jp-ui-font-family, system-ui, sans-serif);
  font-size: var(--jp-content-font-size1, 14px);
  line-height: 1.45;
  color: var(--jp-content-font-color1, rgba(0, 0, 0, 0.87));
  max-width: 60em;
  padding: 2px 2px 6px;
}
.course-quiz p { margin: 0 0 0.5em; }
.course-quiz-label { margin: 0 0 0.25em; }
.course-quiz-prompt { margin-bottom: 0.5em; }
.course-quiz-prompt > :last-child { margin-bottom: 0; }
.course-choices { display: flex; flex-direction: column; gap: 0.15em; margin: 0 0 0.6em; }
.course-option { display: flex; align-items: flex-start; gap: 0.5em; padding: 0.1em 0.2em; }
.course-option input { margin: 0.2em 0 0; width: 1.05em; height: 1.05em; flex: none;
  accent-color: var(--jp-brand-color1, #1976d2); }
.course-option label { cursor: pointer; }
.course-fields { display: grid; grid-template-columns: fit-content(22em) minmax(14em, 1fr);
  gap: 0.35em 0.75em; align-items: center; margin: 0 0 0.6em; }
.course-field-label { overflow-wrap: anywhere; }
.course-reflection { display: flex; flex-direction: column; gap: 0.25em; margin: 0 0 0.6em; }
.course-unit-row { display: flex; align-items: center; gap: 0.4em; }
.course-quiz select, .course-quiz input[type="text"], .course-quiz textarea {
  font: inherit;
  color: var(--jp-ui-font-color1, rgba(0, 0, 0, 0.87));
  background: var(--jp-layout-color0, #fff);
  border: 1px solid var(--jp-ui-font-color2, #616161);
  border-radius: 3px;
  padding: 0.2em 0.4em;
  max-width: 100%;
  box-sizing: border-box;
}
.course-quiz input[type="text"] { width: 14em; justify-self: start; }
.course-quiz textarea { width: 100%; min-height: 6em; resize: vertical; }
.course-quiz ::placeholder { color: var(--jp-ui-font-color2, #616161); opacity: 1; }
.course-quiz-buttons { display: flex; flex-wrap: wrap; gap: 0.5em; }
.course-button {
  font: inherit;
  padding: 0.25em 0.9em;
  border-radius: 3px;
  border: 1px solid var(--jp-ui-font-color2, #616161);
  background: var(--jp-layout-color1, #fff);
  color: var(--jp-ui-font-color1, rgba(0, 0, 0, 0.87));
  cursor: pointer;
}
.course-button:hover { background: var(--jp-layout-color2, #eee); }
.course-button-primary, .course-button-primary:hover {
  background: var(--jp-brand-color1, #1976d2);
  border-color: var(--jp-brand-color1, #1976d2);
  color: #fff;
}
.course-button[aria-disabled="true"] {
  cursor: not-allowed;
  background: var(--jp-layout-color1, #fff);
  border-style: dashed;
}
.course-quiz :focus-visible {
  outline: 2px solid var(--jp-brand-color1, #1976d2);
  outline-offset: 2px;
}
.course-feedback, .course-hint {
  margin-top: 0.6em;
  padding: 0.35em 0.75em;
  border-left: 4px solid var(--jp-border-color1, #bdbdbd);
  background: var(--jp-layout-color2, #eee);
  color: var(--jp-content-font-color1, rgba(0, 0, 0, 0.87));
}
.course-feedback:empty, .course-hint:empty { margin: 0; padding: 0; border: 0; }
.course-feedback p, .course-hint p { margin: 0.2em 0; }
.course-feedback-correct { border-left-color: var(--jp-success-color1, #388e3c); }
.course-feedback-incorrect { border-left-color: var(--jp-error-color1, #d32f2f); }
.course-feedback-partial, .course-feedback-invalid { border-left-color: var(--jp-warn-color1, #f57c00); }
.course-feedback-revealed, .course-feedback-revealed-again, .course-feedback-recorded,
.course-hint { border-left-color: var(--jp-info-color1, #0097a7); }
"""

PROGRESS_CSS = r"""
.course-progress { display: flex; align-items: center; gap: 0.75em;
  font-family: var(--jp-ui-font-family, system-ui, sans-serif);
  color: var(--jp-content-font-color1, rgba(0, 0, 0, 0.87)); }
.course-progress-bar { width: 40%; max-width: 24em; height: 0.9em; border-radius: 3px; overflow: hidden;
  border: 1px solid var(--jp-ui-font-color2, #616161); background: var(--jp-layout-color0, #fff); }
.course-progress-fill { height: 100%; background: var(--jp-brand-color1, #1976d2); }
"""
