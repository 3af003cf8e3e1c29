/* Staff pages: sign in once per browser tab (the JWT stays in sessionStorage), show who is
   signed in, and call `onReady(claims)` when a valid token is there. */
"use strict";
const HStaff = (() => {
  function showWho(claims) {
    const who = document.getElementById("whoami");
    document.getElementById("whoami-text").textContent = `${H.t("signed_in_as")}: ${claims.name} (${claims.role}${claims.unit ? " · " + claims.unit : ""}) `;
    who.classList.remove("hidden");
  }

  function require(onReady) {
    const box = document.getElementById("signin");
    const form = document.getElementById("signin-form");
    const error = document.getElementById("signin-error");
    document.getElementById("sign-out").addEventListener("click", () => { H.staff.clear(); location.reload(); });
    const claims = H.staff.claims();
    if (claims) { showWho(claims); onReady(claims); return; }
    box.classList.remove("hidden");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = document.getElementById("signin-submit");
      button.disabled = true;
      const result = await H.signIn(form.username.value.trim(), form.password.value);
      button.disabled = false;
      if (!result.ok) { H.notice(error, "error", result.error); return; }
      H.notice(error, "", "");
      box.classList.add("hidden");
      const fresh = H.staff.claims();
      showWho(fresh);
      onReady(fresh);
    });
  }

  /* An API call with the staff token; a 401 sends the user back to the sign-in box. */
  async function call(url, opts = {}) {
    const res = await H.api(url, Object.assign({ token: H.staff.token() }, opts));
    if (res.status === 401) { H.staff.clear(); setTimeout(() => location.reload(), 1500); }
    return res;
  }

  return { require, call };
})();
