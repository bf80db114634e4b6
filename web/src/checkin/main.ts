/**
 * The citizen check-in page (GET /c/<token>): its own tiny entry, vanilla TypeScript, no portal
 * code. The server injects the venue as JSON (script#venue-data). One tap = one request
 * (POST /api/checkins with an id made at the tap); when the network fails the tap waits in a
 * localStorage queue and is re-sent with the same id (never counted twice) until acknowledged.
 * The same bundle serves GET /notices (no venue): exposure notices and the recent check-ins.
 * Exposure notices: once per page load (never on the tap's path) the page sends the ids of the
 * phone's recent check-ins to POST /api/exposures/lookup and shows a notice for each that made
 * this person a contact. The answer says nothing about the case, and neither does the page.
 */
import "./checkin.css";
import { codeMessages, dict, type Key, type Lang } from "./i18n";
import { clockVN, dateVN, dayKeyVN, dayVN, normalizePhone, textOn, timeVN } from "./format";
import * as store from "./store";
import type { Guest, Pending, Visit } from "./store";

type VenueData =
  | { ok: true; token: string; venue: { name: string; address: string; category?: string } }
  | { ok: false; code: string; message?: string; messageVi?: string }
  | { ok: false; page: "notices" };

/** One item of POST /api/exposures/lookup (server/tracing/schemas.ts, NoticeList). */
interface Notice {
  checkinId: string;
  venue: { name: string; address: string };
  day: string;
  from: string;
  to: string;
  quarantineUntil: string;
  status: string;
}

interface ApiError {
  error?: { code?: string; message?: string; details?: { path?: string; message?: string }[] };
}

function readVenueData(): VenueData {
  try {
    const d = JSON.parse(document.getElementById("venue-data")?.textContent ?? "");
    if (d?.page === "notices") return { ok: false, page: "notices" };
    if (d?.ok === true && typeof d.token === "string" && d.venue?.name) return d;
    if (d?.ok === false) return { ...d, code: String(d.code ?? "invalid_code") };
  } catch {
    /* missing or broken: the page was not served through /c/<token> */
  }
  return { ok: false, code: "invalid_code" };
}

const data = readVenueData();
const venueKey = data.ok ? `${data.venue.name}\n${data.venue.address}` : "";
const root = document.getElementById("app")!;

let lang: Lang = store.getLang();
const t = (key: Key, time?: string) => dict[lang][key].replace("{t}", time ?? "");

// ---- page state (everything else lives in the store) ----
type Field = "fullName" | "phone" | "birthYear";
const saved = store.getGuest();
const draft: Record<Field, string> = {
  fullName: saved?.fullName ?? "",
  phone: saved?.phone ?? "",
  birthYear: saved ? String(saved.birthYear) : "",
};
let fieldErrors: Partial<Record<Field, Key | string>> = {};
let editing = false; // the form is open although details are saved
let asGuest = false; // a signed-in citizen chose to check someone else in with the form
let busy = false; // a tap's request (or a check-out) is in flight
let message: string | undefined; // why the last tap or check-out failed
let qrOpen = false;
let historyOpen = "page" in data; // open on the notices page
/** Undefined until the lookup answers; "failed" when it could not be made. */
let notices: Notice[] | "failed" | undefined;
/** The notices live in one element that outlives render(), so their arrival re-renders nothing else. */
const noticeHost = h("div", { class: "notices" });

// ---- DOM helpers ----
type Child = Node | string | false | null | undefined;
function h(tag: string, props: Record<string, unknown> | null, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props ?? {})) {
    if (v == null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v as EventListener);
    else if (k === "value") (el as HTMLInputElement).value = String(v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) if (c != null && c !== false) el.append(c);
  return el;
}
function icon(svg: string, cls: string): HTMLElement {
  const span = h("span", { class: cls, "aria-hidden": "true" });
  span.innerHTML = svg; // constant markup only
  return span;
}
const TICK = '<svg viewBox="0 0 24 24"><path d="M4.5 12.5l5 5L19.5 7" fill="none" stroke="currentColor" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"/></svg>';
const WARN = '<svg viewBox="0 0 24 24"><path d="M12 3L2 21h20z" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linejoin="round"/><path d="M12 10v5M12 18v.5" stroke="currentColor" stroke-width="2.2" stroke-linecap="round"/></svg>';
const CLOUD = '<svg viewBox="0 0 24 24"><path d="M7 18h10a4 4 0 0 0 .6-8A6 6 0 0 0 6 9.5 4.3 4.3 0 0 0 7 18z" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/><path d="M12 16v-5m-2.5 2.5L12 11l2.5 2.5" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/></svg>';

// ---- views ----
function header(): HTMLElement {
  return h(
    "header",
    { class: "top" },
    h("span", { class: "brand" }, icon('<svg viewBox="0 0 32 32"><rect width="32" height="32" rx="8" fill="#0b6e4f"/><path d="M13 7h6v6h6v6h-6v6h-6v-6H7v-6h6z" fill="#fff"/></svg>', "logo"), t("title")),
    h(
      "button",
      {
        type: "button",
        class: "lang",
        "data-testid": "lang-toggle",
        lang: lang === "vi" ? "en" : "vi",
        "aria-label": lang === "vi" ? "English" : "Tiếng Việt",
        onclick: () => {
          lang = lang === "vi" ? "en" : "vi";
          store.setLang(lang);
          render();
        },
      },
      lang === "vi" ? "EN" : "VI",
    ),
  );
}

function venueCard(venue: { name: string; address: string }): HTMLElement {
  return h("div", { class: "venue" }, h("h1", { "data-testid": "checkin-venue" }, venue.name), venue.address && h("p", { class: "address" }, venue.address));
}

function errorBox(text: string | undefined): Child {
  return text && h("p", { class: "alert", role: "alert", "data-testid": "checkin-error" }, text);
}

function bigButton(label: string, testId: string, props: Record<string, unknown>): HTMLElement {
  return h("button", { class: "big", "data-testid": testId, disabled: busy, "aria-busy": busy ? "true" : null, ...props }, busy ? t("sending") : label);
}

function qrButton(): Child {
  return store.getPersonalQr() && h("button", { type: "button", class: "secondary", "data-testid": "personal-qr-button", onclick: openQr }, t("personalQr"));
}

function errorScreen(code: string, fallback: { message?: string; messageVi?: string }): HTMLElement {
  const [vi, en] = codeMessages[code] ?? [fallback.messageVi ?? codeMessages.invalid_code![0], fallback.message ?? codeMessages.invalid_code![1]];
  const visit = store.latestCurrentVisit();
  return h(
    "div",
    null,
    h(
      "section",
      { class: "error", "data-testid": "checkin-error", "data-code": code },
      icon(WARN, "warn"),
      h("h1", { lang: "vi" }, dict.vi.errorTitle),
      h("p", { class: "vi", lang: "vi" }, vi),
      h("p", { class: "en", lang: "en" }, `${dict.en.errorTitle}. ${en}`),
    ),
    // An expired screen code or a replaced poster must not hide the visit that is still going on.
    visit && confirmation(visit),
  );
}

function form(): HTMLElement {
  const field = (name: Field, label: Key, attrs: Record<string, unknown>, hint?: Key) => {
    const err = fieldErrors[name];
    const id = `f-${name}`;
    return h(
      "div",
      { class: "field" },
      h("label", { for: id }, t(label)),
      h("input", {
        id,
        name,
        value: draft[name],
        "data-testid": `checkin-${name === "fullName" ? "name" : name === "birthYear" ? "birthyear" : "phone"}`,
        "aria-invalid": err ? "true" : null,
        "aria-describedby": err || hint ? `${id}-note` : null,
        oninput: (e: Event) => (draft[name] = (e.target as HTMLInputElement).value),
        ...attrs,
      }),
      err ? h("p", { class: "field-error", id: `${id}-note` }, err in dict[lang] ? t(err as Key) : err) : hint && h("p", { class: "hint", id: `${id}-note` }, t(hint)),
    );
  };
  const year = new Date().getFullYear();
  return h(
    "form",
    { "data-testid": "checkin-form", novalidate: true, onsubmit: (e: Event) => (e.preventDefault(), void checkIn()) },
    h("p", { class: "intro" }, t("formIntro")),
    field("fullName", "fullName", { autocomplete: "name", autocapitalize: "words", maxlength: 100, enterkeyhint: "next" }),
    field("phone", "phone", { type: "tel", inputmode: "tel", autocomplete: "tel-national", maxlength: 16, enterkeyhint: "next" }, "phoneHint"),
    field("birthYear", "birthYear", { inputmode: "numeric", pattern: "[0-9]*", autocomplete: "bday-year", maxlength: 4, placeholder: String(year - 30), enterkeyhint: "go" }),
    errorBox(message),
    bigButton(t("checkIn"), "checkin-submit", { type: "submit" }),
    editing && h("button", { type: "button", class: "link", onclick: () => ((editing = false), (fieldErrors = {}), (message = undefined), render()) }, t("cancel")),
    h("p", { class: "privacy" }, t("privacy")),
  );
}

function home(guest: Guest): HTMLElement {
  return h(
    "div",
    { class: "home" },
    errorBox(message),
    bigButton(t("checkIn"), "checkin-submit", { type: "button", onclick: () => void checkIn() }),
    h(
      "p",
      { class: "who" },
      `${t("you")} `,
      h("strong", { "data-testid": "checkin-who" }, guest.fullName),
      ` (${guest.birthYear})`,
    ),
    h(
      "p",
      { class: "links" },
      h("button", { type: "button", class: "link", "data-testid": "checkin-edit", onclick: () => ((editing = true), (message = undefined), render()) }, t("edit")),
      h(
        "button",
        {
          type: "button",
          class: "link",
          "data-testid": "checkin-not-me",
          onclick: () => {
            store.forgetGuest();
            draft.fullName = draft.phone = draft.birthYear = "";
            message = undefined;
            render();
          },
        },
        t("notYou"),
      ),
    ),
    qrButton(),
  );
}

/** A citizen signed in to the citizen app (/app): one tap checks the account's person in. */
function citizenHome(c: store.Citizen): HTMLElement {
  return h(
    "div",
    { class: "home" },
    errorBox(message),
    bigButton(t("checkIn"), "checkin-submit", { type: "button", onclick: () => void checkIn() }),
    h("p", { class: "who" }, `${t("you")} `, h("strong", { "data-testid": "checkin-who" }, c.fullName), c.birthYear ? ` (${c.birthYear})` : "", h("br", null), t("account", c.phone)),
    h(
      "p",
      { class: "links" },
      h("button", { type: "button", class: "link", "data-testid": "checkin-as-guest", onclick: () => ((asGuest = true), (message = undefined), render()) }, t("asGuest")),
    ),
    qrButton(),
  );
}

function queued(item: Pending): HTMLElement {
  return h(
    "section",
    { class: "queued", "data-testid": "checkin-queued", role: "status" },
    icon(CLOUD, "cloud"),
    h("p", { class: "queued-title" }, t("queued")),
    h("p", null, t("queuedHint", timeVN(item.tapAt))),
    h("button", { type: "button", class: "secondary", onclick: () => ((backoff = FIRST_BACKOFF), void flush()) }, t("retryNow")),
  );
}

function confirmation(v: Visit): HTMLElement {
  const band = h(
    "div",
    { class: "band", "data-testid": "checkin-colour", "data-colour": v.colour.hex },
    icon(TICK, "tick"),
    h("p", { class: "done" }, t("checkedIn")),
    h("p", { class: "time" }, timeVN(v.checkedInAt)),
    h("p", { class: "date" }, dateVN(v.checkedInAt)),
    h("p", { class: "colour-name" }, `${t("colourToday")}: `, h("strong", null, v.colour.nameVi), lang === "en" && ` (${v.colour.nameEn})`),
  );
  if (/^#[0-9a-f]{6}$/i.test(v.colour.hex)) {
    band.style.background = v.colour.hex;
    band.style.color = textOn(v.colour.hex);
  }
  return h(
    "section",
    { class: "confirmation", "data-testid": "checkin-confirmation", "data-checkin-id": v.id },
    band,
    h(
      "div",
      { class: "wrap" },
      venueCard(v.venue),
      h("p", { class: "who" }, h("strong", null, v.fullName)),
      errorBox(message),
      bigButton(t("checkOut"), "checkout-button", { type: "button", class: "big out", onclick: () => void checkOut(v) }),
      qrButton(),
    ),
  );
}

function qrOverlay(): Child {
  if (!qrOpen) return null;
  const box = h("div", { class: "qr-box", "data-testid": "personal-qr" });
  const qr = store.getPersonalQr();
  if (qr) {
    import("qrcode")
      .then((QR) => QR.toString(qr, { type: "svg", errorCorrectionLevel: "M", margin: 3 }))
      .then((svg) => (box.innerHTML = svg))
      .catch(() => box.replaceChildren(h("p", { class: "alert" }, t("qrFailed"))));
  }
  const close = () => ((qrOpen = false), render());
  return h(
    "div",
    { class: "overlay", role: "dialog", "aria-modal": "true", "aria-label": t("personalQr") },
    h("p", { class: "qr-title" }, t("personalQr")),
    box,
    h("p", null, t("personalQrHint")),
    h("button", { type: "button", class: "big", "data-testid": "personal-qr-close", onclick: close }, t("close")),
  );
}

function openQr() {
  qrOpen = true;
  render();
}

/** A sentence of the dictionary with {name} placeholders filled by text or elements. */
function fill(key: Key, vars: Record<string, Child>): Child[] {
  return dict[lang][key].split(/\{(\w+)\}/).map((part, i) => (i % 2 ? vars[part] : part));
}

/** Still to be followed: an open contact whose quarantine has not ended. */
const isOpen = (n: Notice) => n.status !== "released" && n.status !== "became_f0" && n.quarantineUntil.slice(0, 10) >= dayKeyVN(Date.now());

function renderNotices(): void {
  const onNoticesPage = "page" in data;
  const list = Array.isArray(notices) ? notices : [];
  const open = list.filter(isOpen);
  // Ended ones in one line each (a contact who became a case hears it from the health team, not here).
  const past = list.filter((n) => !isOpen(n) && n.status !== "became_f0");
  const names = new Map(store.getHistory().map((p) => [p.id, p.name]));
  // Whose check-in it was, when the phone's check-ins were made for more than one person.
  const several = new Set(names.values()).size > 1;
  const status = (key: Key) => h("p", { class: "notices-status", "data-testid": "notices-status", role: "status" }, t(key));
  const parts: Child[] = [
    open.length > 0
      ? h(
          "section",
          { class: "exposure", "data-testid": "exposure-notices", role: "alert" },
          h("h2", null, icon(WARN, "warn-small"), t("noticeTitle")),
          ...open.map((n) =>
            h(
              "div",
              { class: "exposure-item", "data-testid": "exposure-notice", "data-checkin-id": n.checkinId },
              h("p", null, ...fill("noticeText", { venue: h("strong", { "data-testid": "exposure-venue" }, n.venue.name), day: dayVN(n.day), from: clockVN(n.from), to: clockVN(n.to) })),
              n.venue.address && h("p", { class: "address" }, n.venue.address),
              h("p", { class: "todo" }, ...fill("noticeTodo", { until: h("strong", null, dayVN(n.quarantineUntil)) })),
              several && names.get(n.checkinId) && h("p", { class: "for" }, ...fill("noticeFor", { name: names.get(n.checkinId) })),
            ),
          ),
        )
      : onNoticesPage && status(notices === "failed" ? "noticesFailed" : notices ? "noticesNone" : "noticesChecking"),
    past.length > 0 &&
      h(
        "ul",
        { class: "exposure-past", "data-testid": "exposure-past" },
        ...past.map((n) => h("li", null, ...fill("noticePast", { venue: n.venue.name, day: dayVN(n.day), until: dayVN(n.quarantineUntil) }))),
      ),
  ];
  noticeHost.replaceChildren(...parts.filter((c): c is Node | string => !!c));
}

/** The phone's recent check-ins, folded away (open on the notices page). */
function history(): Child {
  const list = store.getHistory();
  const onNoticesPage = "page" in data;
  if (list.length === 0) return onNoticesPage && h("p", { class: "notices-status", "data-testid": "history-none" }, t("historyNone"));
  const exposed = new Set(Array.isArray(notices) ? notices.map((n) => n.checkinId) : []);
  return h(
    "details",
    { class: "history", "data-testid": "checkin-history", open: historyOpen, ontoggle: (e: Event) => (historyOpen = (e.target as HTMLDetailsElement).open) },
    h("summary", null, t("history", String(list.length))),
    h(
      "ul",
      null,
      ...list.map((p) =>
        h(
          "li",
          { class: exposed.has(p.id) ? "exposed" : null, "data-checkin-id": p.id },
          h("span", { class: "when" }, `${dateVN(p.at).slice(0, 5)} ${timeVN(p.at)}`),
          exposed.has(p.id) && icon(WARN, "warn-small"),
          h("span", null, p.venue),
        ),
      ),
    ),
  );
}

function noticesPage(): HTMLElement {
  return h(
    "div",
    { class: "wrap", "data-testid": "notices-page" },
    h("h1", { class: "page-title" }, t("noticesTitle")),
    noticeHost,
    history(),
    qrButton(),
  );
}

/** Once per page load, after the page is up: never on the tap's path; network errors stay quiet. */
let lookedUp = false;
async function lookupNotices(): Promise<void> {
  if (lookedUp) return;
  lookedUp = true;
  const ids = store.getHistory().map((p) => p.id);
  if (ids.length === 0) {
    notices = [];
  } else {
    try {
      const res = await fetch("/api/exposures/lookup", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ checkinIds: ids.slice(0, store.HISTORY_MAX) }),
        signal: AbortSignal.timeout?.(20_000),
      });
      const body = res.ok ? await res.json() : null;
      if (!Array.isArray(body?.items)) throw new Error("no notices");
      notices = (body.items as Notice[]).filter(
        (n) => n && typeof n.checkinId === "string" && typeof n.venue?.name === "string" && [n.day, n.from, n.to, n.quarantineUntil, n.status].every((x) => typeof x === "string"),
      );
      // Newest exposure first.
      notices.sort((a, b) => (a.day < b.day ? 1 : a.day > b.day ? -1 : a.from < b.from ? 1 : -1));
    } catch {
      notices = "failed";
    }
  }
  renderNotices();
  // The list marks the exposed check-ins: re-rendered unless someone is typing.
  const typing = document.activeElement instanceof HTMLInputElement;
  if (Array.isArray(notices) && notices.length > 0 && !typing && !busy) render();
}

function render(): void {
  document.documentElement.lang = lang;
  document.title = t("page" in data ? "noticesTitle" : "title");
  renderNotices();
  let body: Child;
  if ("page" in data) {
    body = noticesPage();
  } else if (!data.ok) {
    body = errorScreen(data.code, data);
  } else {
    const visit = store.getVisit(venueKey);
    const pending = store.getQueue().find((p) => p.venueKey === venueKey);
    const guest = store.getGuest();
    if (visit && store.isCurrent(visit)) body = confirmation(visit);
    else {
      let main: Child;
      const citizen = asGuest || editing ? undefined : store.getCitizen();
      if (pending && !busy) main = queued(pending);
      else if (citizen) main = citizenHome(citizen);
      else if (!guest || editing) main = form();
      else main = home(guest);
      const out = visit?.checkedOutAt && Date.now() - Date.parse(visit.checkedOutAt) < store.VISIT_SHOWN_MS;
      body = h(
        "div",
        { class: "wrap" },
        venueCard(data.venue),
        out && h("p", { class: "notice", "data-testid": "checkout-done", role: "status" }, icon(TICK, "small-tick"), t("checkedOutAt", timeVN(visit!.checkedOutAt!))),
        main,
      );
    }
  }
  const focused = document.activeElement?.id;
  const past = !("page" in data) && history();
  root.replaceChildren(
    header(),
    h("div", { class: "page" }, !("page" in data) && noticeHost, body, past && h("div", { class: "wrap" }, past)),
    qrOverlay() || "",
  );
  if (focused) document.getElementById(focused)?.focus();
}

// ---- the tap ----
function validate(): Guest | undefined {
  fieldErrors = {};
  const fullName = draft.fullName.trim().replace(/\s+/g, " ");
  const phone = normalizePhone(draft.phone);
  const birthYear = Number(draft.birthYear.trim());
  const thisYear = new Date().getFullYear();
  if (fullName.length < 2) fieldErrors.fullName = "nameInvalid";
  if (!phone) fieldErrors.phone = "phoneInvalid";
  if (!/^\d{4}$/.test(draft.birthYear.trim()) || birthYear < 1900 || birthYear > thisYear) fieldErrors.birthYear = "yearInvalid";
  if (Object.keys(fieldErrors).length > 0) return undefined;
  draft.fullName = fullName;
  draft.phone = phone!;
  return { personId: store.personId(), fullName, phone: phone!, birthYear };
}

async function checkIn(): Promise<void> {
  if (busy || !data.ok) return;
  message = undefined;
  const citizen = asGuest || editing ? undefined : store.getCitizen();
  let guest = citizen ? { personId: citizen.personId, fullName: citizen.fullName, phone: citizen.phone, birthYear: citizen.birthYear ?? 0 } : store.getGuest();
  if (!citizen && (!guest || editing)) {
    guest = validate();
    if (!guest) {
      render();
      (root.querySelector("[aria-invalid=true]") as HTMLElement | null)?.focus();
      return;
    }
    store.setGuest(guest);
    editing = false;
  }
  // Queued before the request: if the page dies mid-request, the next visit re-sends the same id.
  const item: Pending = { id: store.uuid(), token: data.token, tapAt: Date.now(), venueKey, guest: guest!, ...(citizen ? { citizen: true } : {}) };
  store.enqueue(item);
  busy = true;
  render();
  const result = await send(item, true);
  busy = false;
  render();
  if (result === "retry") schedule();
}

/**
 * A usable access token of the citizen app's session: the stored one while fresh, else a refreshed
 * one. Refreshes share the citizen app's Web Lock (a refresh token is single-use: two tabs must
 * never both spend it). Undefined when signed out; throws when offline.
 */
async function citizenToken(refused?: string): Promise<string | undefined> {
  const fresh = (c: store.Citizen | undefined) => !!c && c.accessToken !== refused && c.expiresAt - 15_000 > Date.now();
  const now = store.getCitizen();
  if (!now) return undefined;
  if (fresh(now)) return now.accessToken;
  const refresh = async () => {
    const c = store.getCitizen();
    if (!c) return undefined;
    if (fresh(c)) return c.accessToken; // another tab refreshed meanwhile
    const res = await fetch("/api/auth/refresh", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ refreshToken: c.refreshToken }),
      signal: AbortSignal.timeout?.(20_000),
    });
    if (res.status === 400 || res.status === 401 || res.status === 403) {
      store.forgetCitizen(c.refreshToken);
      return undefined;
    }
    const body = res.ok ? await res.json().catch(() => null) : null;
    if (typeof body?.accessToken !== "string") throw new Error("refresh failed");
    store.setCitizenTokens(body);
    return body.accessToken as string;
  };
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  return locks?.request ? ((await locks.request("phc.citizen.refresh", refresh)) as string | undefined) : refresh();
}

type Outcome = "ok" | "retry" | "rejected";
const inflight = new Set<string>();
const DAY = 24 * 3600_000;

async function send(item: Pending, first = false): Promise<Outcome> {
  if (inflight.has(item.id)) return "retry";
  const age = Date.now() - item.tapAt;
  if (age > DAY) {
    store.dequeue(item.id); // the server refuses check-ins older than a day
    return "rejected";
  }
  inflight.add(item.id);
  try {
    let res: Response;
    try {
      const post = (bearer?: string) =>
        fetch("/api/checkins", {
          method: "POST",
          headers: { "content-type": "application/json", ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
          // A signed-in citizen sends no details: the server checks in the account's person.
          body: JSON.stringify({ token: item.token, id: item.id, ...(first ? {} : { ageMs: Math.max(0, age) }), ...(item.citizen ? {} : { guest: item.guest }) }),
          signal: AbortSignal.timeout?.(20_000),
        });
      if (item.citizen) {
        let bearer = await citizenToken();
        let answer = bearer ? await post(bearer) : undefined;
        // Refused (revoked, or the clock was off): once more with a refreshed token.
        if (answer?.status === 401) answer = (bearer = await citizenToken(bearer)) ? await post(bearer) : undefined;
        if (!answer) {
          // Signed out meanwhile: the tap cannot be sent as the account; the form takes over.
          store.dequeue(item.id);
          if (item.venueKey === venueKey) ((asGuest = true), (message = t("signedOut")));
          return "rejected";
        }
        res = answer;
      } else res = await post();
    } catch {
      return "retry"; // offline, DNS, timeout: same id next time
    }
    if (res.status >= 500 || res.status === 408 || res.status === 429) return "retry";
    const body = await res.json().catch(() => null);
    if (res.ok) {
      if (!body?.id || !body.colour) return "retry"; // e.g. a captive portal's page
      store.dequeue(item.id);
      if (body.personalQr) store.setPersonalQr(body.personalQr);
      store.saveVisit({
        id: body.id,
        venueKey: item.venueKey,
        personId: item.guest.personId,
        fullName: item.guest.fullName,
        checkedInAt: body.checkedInAt,
        date: body.date,
        venue: { name: body.venue?.name ?? "", address: body.venue?.address ?? "" },
        colour: body.colour,
      });
      return "ok";
    }
    store.dequeue(item.id);
    if (item.venueKey === venueKey) message = explain(body as ApiError | null);
    return "rejected";
  } finally {
    inflight.delete(item.id);
  }
}

/** The server's refusal in the page's language; field errors go back to the form. */
function explain(body: ApiError | null): string {
  const err = body?.error;
  const known = err?.code ? codeMessages[err.code] : undefined;
  if (known) return known[lang === "vi" ? 0 : 1];
  const fields: Record<string, [Field, Key]> = {
    "guest.fullName": ["fullName", "nameInvalid"],
    "guest.phone": ["phone", "phoneInvalid"],
    "guest.birthYear": ["birthYear", "yearInvalid"],
  };
  let fieldError = false;
  for (const d of err?.details ?? []) {
    const f = d.path ? fields[d.path] : undefined;
    if (f) {
      fieldErrors[f[0]] = f[1];
      fieldError = editing = true;
    }
  }
  if (fieldError) return ""; // shown under the fields themselves
  return err?.message ?? t("serverError");
}

// ---- the queue: retried with backoff, and at once when the phone comes back online ----
const FIRST_BACKOFF = 2_000;
let backoff = FIRST_BACKOFF;
let timer: ReturnType<typeof setTimeout> | undefined;
let flushing = false;

function schedule(): void {
  clearTimeout(timer);
  timer = setTimeout(() => void flush(), backoff);
  backoff = Math.min(backoff * 2, 60_000);
}

async function flush(): Promise<void> {
  if (flushing) return;
  flushing = true;
  clearTimeout(timer);
  let retry = false;
  let changed = false;
  try {
    for (const item of store.getQueue()) {
      if ((await send(item)) === "retry") retry = true;
      else changed = true;
    }
  } finally {
    flushing = false;
  }
  if (retry) schedule();
  else backoff = FIRST_BACKOFF;
  if (changed && !busy) render(); // only then: a re-render while someone types would be a nuisance
}

async function checkOut(v: Visit): Promise<void> {
  if (busy) return;
  busy = true;
  message = undefined;
  render();
  try {
    const res = await fetch(`/api/checkins/${encodeURIComponent(v.id)}/checkout`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ personId: v.personId }),
      signal: AbortSignal.timeout?.(20_000),
    });
    const body = await res.json().catch(() => null);
    if (res.ok) store.saveVisit({ ...v, checkedOutAt: body?.checkedOutAt ?? new Date().toISOString() });
    else message = res.status >= 500 ? t("checkoutFailed") : explain(body);
  } catch {
    message = t("checkoutFailed");
  }
  busy = false;
  render();
}

addEventListener("online", () => {
  backoff = FIRST_BACKOFF;
  void flush();
});
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible" && store.getQueue().length > 0) void flush();
});
addEventListener("keydown", (e) => {
  if (e.key === "Escape" && qrOpen) ((qrOpen = false), render());
});

render();
if (store.getQueue().length > 0) void flush();
void lookupNotices();
