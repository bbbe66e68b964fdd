// The org's password rules (Okta's `complexity`), as a checklist shown before and while a new
// password is typed: on a password change and on a password reset.
import { el } from "./dom.js";

/** Each rule of `complexity` as { text, ok(password) }, in Okta's order. */
export function rulesFor(complexity, username) {
  const c = complexity ?? {};
  const rules = [];
  const count = (re, s) => (s.match(re) ?? []).length;
  if (c.minLength) rules.push({ text: `At least ${c.minLength} characters`, ok: (p) => p.length >= c.minLength });
  if (c.minLowerCase) rules.push({ text: `${c.minLowerCase} lowercase letter${c.minLowerCase > 1 ? "s" : ""}`, ok: (p) => count(/[a-z]/g, p) >= c.minLowerCase });
  if (c.minUpperCase) rules.push({ text: `${c.minUpperCase} uppercase letter${c.minUpperCase > 1 ? "s" : ""}`, ok: (p) => count(/[A-Z]/g, p) >= c.minUpperCase });
  if (c.minNumber) rules.push({ text: `${c.minNumber} number${c.minNumber > 1 ? "s" : ""}`, ok: (p) => count(/[0-9]/g, p) >= c.minNumber });
  if (c.minSymbol) rules.push({ text: `${c.minSymbol} symbol${c.minSymbol > 1 ? "s" : ""}`, ok: (p) => count(/[^A-Za-z0-9]/g, p) >= c.minSymbol });
  if (c.excludeUsername) {
    const name = username.split("@")[0].toLowerCase();
    rules.push({ text: "Does not contain your username", ok: (p) => !name || !p.toLowerCase().includes(name) });
  }
  return rules;
}

/** Draws `rules` into the list `list`, each marked met or not for `value`. */
export function drawRules(list, rules, value) {
  list.replaceChildren(
    ...rules.map((rule) => {
      const ok = value !== "" && rule.ok(value);
      return el("li", { className: ok ? "rule rule-ok" : "rule", text: rule.text, attrs: { "data-ok": ok ? "true" : "false" } });
    }),
  );
}

/** Why `value` does not do, or "" when it meets every rule. */
export function brokenRules(rules, value) {
  const broken = rules.filter((rule) => !rule.ok(value));
  return broken.length > 0 ? `The new password needs: ${broken.map((r) => r.text.toLowerCase()).join(", ")}.` : "";
}
