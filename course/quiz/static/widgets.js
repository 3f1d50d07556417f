// The browser half of the course's widgets (anywidget ES module): the quiz (course/quiz/widgets.py, QuizWidget),
// the progress bar (ProgressBar) and notebook 03's what-if sliders (course/remittances.py, WhatIf).
// Every widget loads this one file; its `view` trait says which of the three to draw.
//
// The views only display what the Python side puts in the widget's state and report what the student does.
// No grading happens here and no words are written here: every text comes from Python through the state.
// Accessibility is described in course/quiz/widgets.py and checked in a browser by tests/browser.

let counter = 0; // makes the ids of each widget's elements unique on the page

// h("div", {class: "x", text: "..."}, ...children): a DOM element; attributes that are null,
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

// Keys pressed inside a quiz or the what-if stay there. JupyterLab's command-mode shortcuts (arrows move
// between cells, D D deletes a cell, A inserts one, 1-6 make a heading...) would otherwise act on a focused
// radio button, list, slider or button. One listener for the page, in the capture phase on window, so that it
// runs before the front end's own (JupyterLab listens in the bubbling phase, Notebook 7 in the capture phase on
// document). Only propagation stops: what the key does in the control itself still happens. Tab, Escape,
// Shift+Enter and anything with Ctrl, Alt or Cmd still reach the front end.
function guardKeys(event) {
  const target = event.target;
  if (!(target instanceof Element) || !target.closest(".course-quiz, .course-whatif")) return;
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === "Tab" || event.key === "Escape" || (event.key === "Enter" && event.shiftKey)) return;
  event.stopPropagation();
}
if (!window.__courseKeyGuard) {
  window.addEventListener("keydown", guardKeys, true);
  window.__courseKeyGuard = true;
}

// --- the quiz: one question, its answer controls, buttons and feedback ---
function renderQuiz({ model, el }) {
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

// --- the progress bar of one notebook's quiz ---
function renderProgress({ model, el }) {
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

// --- notebook 03's what-if: two labelled range inputs and the model's result ---
function renderWhatIf({ model, el }) {
  const uid = `course-whatif${++counter}-${Math.random().toString(36).slice(2, 8)}`;
  const root = h("div", { class: "course-whatif" });
  const intro = h("div", { class: "course-whatif-intro" });
  intro.innerHTML = model.get("intro_html"); // written in Python, no user input
  root.append(intro);

  const controls = h("div", { class: "course-whatif-controls" });
  const offs = [];
  for (const s of model.get("sliders")) {
    const id = `${uid}-${s.name}`;
    const input = h("input", { type: "range", id, class: "course-whatif-range",
                               min: s.min, max: s.max, step: s.step });
    const shown = h("span", { class: "course-whatif-value", "aria-hidden": "true" }); // the same as valuetext
    const draw = (value) => {
      if (input.value !== String(value)) input.value = String(value);
      input.setAttribute("aria-valuetext", s.valuetext.replace("{value}", String(value)));
      shown.textContent = `${value}%`;
    };
    draw(model.get(s.name));
    input.addEventListener("input", () => {
      const value = Math.round(Number(input.value));
      draw(value);
      model.set(s.name, value);
      model.save_changes();
    });
    const onChange = () => draw(model.get(s.name));
    model.on(`change:${s.name}`, onChange);
    offs.push(() => model.off(`change:${s.name}`, onChange));
    controls.append(h("label", { for: id, class: "course-whatif-label", text: s.label }), input, shown);
  }
  root.append(controls);

  // The live region: present from the start. Its text changes a moment after the last move, so that holding an
  // arrow key down is announced once, at the value where it stops.
  const status = h("p", { class: "course-whatif-status", role: "status", "aria-live": "polite",
                          "aria-atomic": "true", text: model.get("summary") });
  const table = h("div", { class: "course-whatif-table" });
  table.innerHTML = model.get("result_html"); // the Scenario's table, escaped in Python
  const notes = h("div", { class: "course-whatif-notes" });
  notes.innerHTML = model.get("notes_html");
  root.append(status, table, notes);

  let timer = null;
  const onSummary = () => {
    clearTimeout(timer);
    timer = setTimeout(() => { status.textContent = model.get("summary"); }, 250);
  };
  const onTable = () => { table.innerHTML = model.get("result_html"); };
  model.on("change:summary", onSummary);
  model.on("change:result_html", onTable);

  el.append(root);
  return () => {
    clearTimeout(timer);
    model.off("change:summary", onSummary);
    model.off("change:result_html", onTable);
    for (const off of offs) off();
  };
}

const VIEWS = { quiz: renderQuiz, progress: renderProgress, whatif: renderWhatIf };

function render({ model, el }) {
  const view = VIEWS[model.get("view")];
  if (!view) throw new Error(`course widgets: no view named ${JSON.stringify(model.get("view"))}`);
  return view({ model, el });
}

export default { render };
