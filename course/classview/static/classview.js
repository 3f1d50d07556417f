// The class view's page: polls api/class every few seconds and shows it. Everything a student typed is set as
// text (textContent), never as HTML. Projector mode shows "Student 1, 2, ..." instead of names and hides
// reflections. Plain DOM, no framework, so that it runs under a strict Content-Security-Policy.
"use strict";

(function () {
  const meta = (name) => document.querySelector(`meta[name="${name}"]`).getAttribute("content");
  const XSRF = meta("classview-xsrf");
  const POLL_MS = Math.max(2, Number(meta("classview-poll")) || 5) * 1000;
  let data = null;
  let timer = null;
  let paused = false;
  let projector = document.body.classList.contains("projector");
  const aliases = new Map();  // name -> "Student N", numbered in the order this page first saw them
  const openDetails = new Set();

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "text") node.textContent = String(value);
      else if (key === "className") node.className = value;
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function who(name) {
    if (!aliases.has(name)) aliases.set(name, `Student ${aliases.size + 1}`);
    return projector ? aliases.get(name) : name;
  }

  function when(iso) {
    if (!iso) return "";
    const d = new Date(iso);
    return isNaN(d) ? iso : d.toLocaleTimeString([], {hour: "2-digit", minute: "2-digit", second: "2-digit"});
  }

  function pct(part, whole) {
    return whole ? Math.round((100 * part) / whole) : 0;
  }

  function plural(n, one, many) {
    return `${n} ${n === 1 ? one : many}`;
  }

  // A table inside a focusable, labelled region: a wide table scrolls and can be scrolled from the keyboard.
  function table(caption, headers, rows) {
    const head = el("tr", {}, headers.map((h) => el("th", {scope: "col", text: h})));
    const body = rows.map((cells) => el("tr", {}, cells.map((c, i) =>
      i === 0 ? el("th", {scope: "row"}, c) : el("td", {}, c))));
    return el("div", {className: "scroll", role: "region", tabindex: "0", "aria-label": caption},
      el("table", {}, el("caption", {text: caption}), el("thead", {}, head), el("tbody", {}, body)));
  }

  function bar(part, whole) {
    const share = pct(part, whole);
    const fill = el("span", {className: "fill"});
    fill.style.width = `${share}%`;
    return el("span", {className: "share"},
      el("span", {className: "bar", "aria-hidden": "true"}, fill),
      el("span", {text: whole ? `${share}% (${part} of ${whole})` : "not graded"}));
  }

  function detailsFor(id, summary, content) {
    const d = el("details", {id, open: openDetails.has(id)}, el("summary", {text: summary}), content);
    d.addEventListener("toggle", () => (d.open ? openDetails.add(id) : openDetails.delete(id)));
    return d;
  }

  function questionCells(nb, q) {
    const head = el("div", {},
      el("span", {className: "qid", text: q.label ? `${q.label} · ${q.question}` : q.question}),
      q.text ? el("p", {className: "qtext", text: q.text}) : null);
    let answers;
    if (q.graded) {
      answers = q.wrong.length
        ? el("ul", {}, q.wrong.map((w) => el("li", {},
            el("q", {text: w.answer || "(empty)"}), ` ${plural(w.count, "time", "times")}`)))
        : el("span", {text: "none"});
    } else if (projector) {
      answers = el("span", {text: `${plural(q.reflections.length, "reflection", "reflections")} (hidden in projector mode)`});
    } else {
      const list = el("ul", {className: "reflections"}, q.reflections.map((r) => el("li", {},
        el("span", {className: "by", text: `${who(r.student)}, ${when(r.time)}: `}), el("span", {text: r.text}))));
      answers = q.reflections.length
        ? detailsFor(`refl-${nb.notebook}-${q.question}`, `Read ${plural(q.reflections.length, "reflection", "reflections")}`, list)
        : el("span", {text: "none"});
    }
    const stuck = q.stuck.length ? q.stuck.map(who).join(", ") : "no one";
    return [head, String(q.answered), q.graded ? bar(q.right_first, q.answered) : el("span", {text: "not graded"}),
            answers, String(q.revealed), stuck];
  }

  function render() {
    if (!data) return;
    const focusedId = document.activeElement && document.activeElement.id;
    const n = data.students.length;
    data.students.forEach((s) => who(s.student));  // number students in a stable order
    document.getElementById("overview").textContent = n
      ? `${plural(n, "student", "students")} answered; ${plural(data.attempts, "attempt", "attempts")} recorded ` +
        `(an attempt is one answer checked, one exercise run or one answer revealed).`
      : "No answers yet.";

    const stuckBox = document.getElementById("stuck");
    document.getElementById("stuck-note").textContent =
      `Students with ${data.stuck_after} or more tries at a graded question and none right yet.`;
    stuckBox.replaceChildren(data.stuck.length
      ? table("Students who are stuck", ["Student", "Notebook", "Question", "Tries", "Answer shown", "Last try"],
          data.stuck.map((s) => [who(s.student), s.notebook, s.question, String(s.attempts),
                                 s.revealed ? "yes" : "no", when(s.last)]))
      : el("p", {text: "No one is stuck."}));

    const nbBox = document.getElementById("notebooks");
    nbBox.replaceChildren(...(data.notebooks.length ? data.notebooks.map((nb) => el("section", {className: "notebook"},
      el("h3", {text: nb.title ? `${nb.notebook}: ${nb.title}` : nb.notebook}),
      table(`Questions of ${nb.notebook}`, ["Question", "Students who answered", "Right at the first try",
                                           "Wrong answers chosen most (or reflections)", "Answer shown", "Stuck"],
            nb.questions.map((q) => questionCells(nb, q)))))
      : [el("p", {text: "No answers yet."})]));

    const stBox = document.getElementById("students");
    stBox.replaceChildren(n
      ? table("Each student", ["Student", "Questions answered", "Right at the first try", "Attempts",
                              "Answers shown", "Stuck on", "Last seen"],
          data.students.map((s) => [who(s.student), String(s.answered), `${s.right_first} of ${s.answered}`,
                                    String(s.attempts), String(s.revealed), String(s.stuck), when(s.last)]))
      : el("p", {text: "No answers yet."}));
    if (focusedId && document.activeElement === document.body) {
      const again = document.getElementById(focusedId);
      if (again) again.focus();
    }
  }

  function setStatus(text) {
    const status = document.getElementById("status");
    if (status.textContent !== text) status.textContent = text;
  }

  async function poll() {
    timer = null;
    if (paused) return;
    try {
      const resp = await fetch("api/class", {credentials: "same-origin", cache: "no-store",
                                            headers: {"X-XSRFToken": XSRF, "Accept": "application/json"}});
      if (resp.status === 403) {
        setStatus("Your login to the class view has expired or was refused: reload the page to log in again.");
        return;  // no more polling: a reload logs in again
      }
      if (!resp.ok) throw new Error(`HTTP ${resp.status}`);
      const next = await resp.json();
      if (!data || next.seq !== data.seq) {
        data = next;
        render();
      }
      setStatus(`${plural(data.attempts, "attempt", "attempts")} from ${plural(data.students.length, "student", "students")}` +
                `; updates every ${POLL_MS / 1000} seconds.`);
    } catch (err) {
      setStatus(`The class view service cannot be reached (${err.message}); trying again in ${POLL_MS / 1000} seconds.`);
    }
    if (!paused) timer = setTimeout(poll, POLL_MS);
  }

  document.addEventListener("DOMContentLoaded", () => {
    const pause = document.getElementById("pause");
    pause.addEventListener("click", () => {
      paused = !paused;
      pause.setAttribute("aria-pressed", String(paused));
      if (paused) {
        if (timer) clearTimeout(timer);
        timer = null;
        setStatus("Updates paused. Press “Pause updates” again to resume.");
      } else {
        poll();
      }
    });
    const proj = document.getElementById("projector");
    proj.addEventListener("click", () => {
      projector = !projector;
      proj.setAttribute("aria-pressed", String(projector));
      document.body.classList.toggle("projector", projector);
      const url = new URL(window.location.href);
      if (projector) url.searchParams.set("projector", "1"); else url.searchParams.delete("projector");
      window.history.replaceState(null, "", url);
      render();
    });
    poll();
  });
})();
