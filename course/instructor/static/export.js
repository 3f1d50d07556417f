// The Export button of notebook 06 (course/instructor/button.py): a button, a name field when the login is
// shared by many people, and a live region for the result. Python writes the file; this only reports the press.
let counter = 0;

function render({ model, el }) {
  const uid = `course-export-${++counter}-${Math.random().toString(36).slice(2, 8)}`;
  const labels = model.get("labels") || {};
  const root = document.createElement("div");
  root.className = "course-export";
  let input = null;
  const press = () => model.send({ event: "export", name: input ? input.value : "" });

  if (model.get("ask_name")) {
    const label = document.createElement("label");
    label.htmlFor = `${uid}-name`;
    label.textContent = labels.name || "";
    const help = document.createElement("p");
    help.id = `${uid}-help`;
    help.className = "course-export-help";
    help.textContent = labels.help || "";
    input = document.createElement("input");
    input.type = "text";
    input.id = `${uid}-name`;
    input.autocomplete = "name";
    input.value = model.get("name") || "";
    input.setAttribute("aria-describedby", help.id);
    input.addEventListener("input", () => {
      model.set("name", input.value);
      model.save_changes();
    });
    // Keys typed into the name stay there: JupyterLab's command-mode shortcuts must not act on them.
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey) press();
      if (event.key !== "Tab" && event.key !== "Escape") event.stopPropagation();
    });
    root.append(label, help, input);
  }

  const button = document.createElement("button");
  button.type = "button";
  button.className = "course-export-button";
  button.textContent = labels.button || "Export my progress";
  if (labels.tooltip) button.title = labels.tooltip;
  button.addEventListener("click", press);
  const status = document.createElement("div");
  status.className = "course-export-message";
  status.setAttribute("role", "status");
  root.append(button, status);

  const show = () => {
    status.textContent = model.get("message") || "";
    status.dataset.status = model.get("status") || "";
  };
  model.on("change:seq", show);
  show();
  el.append(root);
  return () => model.off("change:seq", show);
}

export default { render };
