// Questions asked in a native <dialog>: focus, the keyboard and Escape come with it.

export function ask({ title, text, choices }) {
  return new Promise((resolve) => {
    const dialog = document.createElement("dialog");
    dialog.className = "ask";
    dialog.setAttribute("aria-labelledby", "ask-title");
    const heading = Object.assign(document.createElement("h2"), { id: "ask-title", textContent: title });
    const body = Object.assign(document.createElement("p"), { textContent: text });
    const actions = Object.assign(document.createElement("div"), { className: "actions" });
    const finish = (value) => {
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    for (const [value, label, kind] of choices) {
      const button = Object.assign(document.createElement("button"), { type: "button", textContent: label });
      if (kind) button.className = kind;
      button.addEventListener("click", () => finish(value));
      actions.append(button);
    }
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      finish("cancel");
    });
    dialog.append(heading, body, actions);
    document.body.append(dialog);
    dialog.showModal();
  });
}

// Sheets still unsent when the trainer signs out or forgets the device's data: sync now, keep
// them for the next sign-in of the same account, or discard them after a second question.
export async function askAboutUnsent(count, action, say, note = "") {
  const choice = await ask({
    title: say("unsentTitle", { count }),
    text: [note, say("unsentText", { count, action })].filter(Boolean).join(" "),
    choices: [
      ["sync", say("syncNow")],
      ["keep", say("keepThem", { action })],
      ["discard", say("discardThem"), "secondary"],
      ["cancel", say("cancel"), "secondary"],
    ],
  });
  if (choice !== "discard") return choice;
  return confirmDiscard(count, say);
}

export async function confirmDiscard(count, say) {
  const sure = await ask({
    title: say("discardTitle", { count }),
    text: say("discardText", { count }),
    choices: [
      ["discard", say("discardConfirm", { count }), "danger"],
      ["cancel", say("goBack"), "secondary"],
    ],
  });
  return sure === "discard" ? "discard" : "cancel";
}
