// On a ticket's phone page: "a complaint or suggestion about this visit" leads to /c?t=<token>,
// where the citizen may link it to the visit (docs/complaints.md).
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const link = document.getElementById("complaint-link");
  if (link && NF.page.token) link.setAttribute("href", `/c?t=${encodeURIComponent(NF.page.token)}`);
});
