/**
 * A province's public situation page (GET /tinh-hinh/<provinceCode>, docs/STATS.md): its own tiny
 * entry, vanilla TypeScript, no portal code, no chart library. The server writes the situation
 * into the HTML as JSON (script#situation-data), so the page needs no request of its own: the
 * latest day's open figures and the 7-day totals (1–4 shown as "under 5"), the published
 * announcements, newest first, and links to the citizen tools. Every text from the server is
 * set as text (textContent), never as HTML: an announcement is plain text, shown verbatim.
 */
import "./situation.css";
import { dict, type Key, type Lang } from "./i18n";

type Count = number | null;
const FIELDS = ["casesNew", "positive", "negative", "samples", "doses1", "doses2", "doses3", "checkins", "declarations"] as const;
type Field = (typeof FIELDS)[number];
type Figures = Record<Field, Count>;

interface Announcement {
  id: string;
  kind: "announcement" | "guidance" | "measure";
  title: string;
  body: string;
  publishedAt: string;
  communeCode: string | null;
  communeName: string | null;
}

interface Situation {
  province: { code: string; name: string };
  day: string | null;
  figures: { latest: (Figures & { day: string }) | null; last7Days: (Figures & { from: string; to: string }) | null };
  announcements: Announcement[];
}

type PageData = { ok: true; situation: Situation } | { ok: false; code: "not_found" | "choose"; provinces: { code: string; name: string }[] };

function readData(): PageData {
  try {
    const d = JSON.parse(document.getElementById("situation-data")?.textContent ?? "");
    if (d?.ok === true && d.situation?.province) return d;
    if (d?.ok === false && Array.isArray(d.provinces)) return d;
  } catch {
    /* missing or broken: the page was not served through /tinh-hinh/<code> */
  }
  return { ok: false, code: "not_found", provinces: [] };
}

const data = readData();
const root = document.getElementById("app")!;
const LANG_KEY = "phc.situation.lang";

function initialLang(): Lang {
  const asked = new URLSearchParams(location.search).get("lang");
  if (asked === "en" || asked === "vi") return asked;
  try {
    return localStorage.getItem(LANG_KEY) === "en" ? "en" : "vi";
  } catch {
    return "vi";
  }
}
let lang: Lang = initialLang();
const t = (key: Key, vars: Record<string, string> = {}) => dict[lang][key].replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? "");

// ---- formatting (Vietnam time whatever the phone's zone: UTC+7, no daylight saving) ----
const pad = (n: number) => String(n).padStart(2, "0");
/** "YYYY-MM-DD" → "dd/mm/yyyy" (or "dd/mm" short). */
const dayText = (day: string, short = false) => {
  const [y, m, d] = day.split("-");
  return short ? `${d}/${m}` : `${d}/${m}/${y}`;
};
const instantText = (iso: string) => {
  const v = new Date(Date.parse(iso) + 7 * 3600_000);
  return `${pad(v.getUTCHours())}:${pad(v.getUTCMinutes())} ${pad(v.getUTCDate())}/${pad(v.getUTCMonth() + 1)}/${v.getUTCFullYear()}`;
};
const numberText = (n: Count) => (n === null ? t("small") : new Intl.NumberFormat(lang === "vi" ? "vi-VN" : "en-GB").format(n));

// ---- DOM helpers ----
type Child = Node | string | false | null | undefined;
function h(tag: string, props: Record<string, unknown> | null, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props ?? {})) {
    if (v == null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v as EventListener);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  // append() inserts strings as text nodes: nothing from the server is ever parsed as HTML.
  for (const c of children) if (c != null && c !== false) el.append(c);
  return el;
}
function logo(): HTMLElement {
  const span = h("span", { class: "logo", "aria-hidden": "true" });
  span.innerHTML = '<svg viewBox="0 0 32 32"><rect width="32" height="32" rx="8" fill="#0b6e4f"/><path d="M13 7h6v6h6v6h-6v6h-6v-6H7v-6h6z" fill="#fff"/></svg>'; // constant markup only
  return span;
}

/** Links keep the prefix the page was opened with (/tinh-hinh or /situation). */
const base = location.pathname.startsWith("/situation") ? "/situation" : "/tinh-hinh";

// ---- views ----
function header(): HTMLElement {
  return h(
    "header",
    { class: "top" },
    h("span", { class: "brand" }, logo(), t("title")),
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
          try {
            localStorage.setItem(LANG_KEY, lang);
          } catch {
            /* private mode: the choice lasts this visit */
          }
          render();
        },
      },
      lang === "vi" ? "EN" : "VI",
    ),
  );
}

function figures(s: Situation): HTMLElement {
  const { latest, last7Days } = s.figures;
  if (!s.day || !last7Days) return h("section", { class: "card", "data-testid": "figures" }, h("h2", null, t("figures")), h("p", { "data-testid": "figures-none" }, t("noData")));
  const cell = (field: Field, which: "day" | "week", n: Count) =>
    h("td", { "data-testid": `figure-${field}-${which}`, class: n === null ? "small" : null }, numberText(n));
  return h(
    "section",
    { class: "card", "data-testid": "figures" },
    h("h2", null, t("figures")),
    h(
      "table",
      { class: "figures" },
      h(
        "thead",
        null,
        h(
          "tr",
          null,
          h("th", { scope: "col" }, t("figure")),
          h("th", { scope: "col", "data-testid": "figures-day" }, t("dayCol", { day: dayText(s.day, true) })),
          h("th", { scope: "col", "data-testid": "figures-week" }, t("weekCol", { from: dayText(last7Days.from, true), to: dayText(last7Days.to, true) })),
        ),
      ),
      h(
        "tbody",
        null,
        ...FIELDS.map((f) => h("tr", null, h("th", { scope: "row" }, t(f)), cell(f, "day", latest ? latest[f] : 0), cell(f, "week", last7Days[f]))),
      ),
    ),
    h("p", { class: "note" }, t("suppressed")),
    h("p", { class: "note" }, h("a", { href: `/api/open-data/daily.csv?provinceCode=${encodeURIComponent(s.province.code)}`, "data-testid": "open-data-link" }, t("openData"))),
  );
}

function announcement(a: Announcement): HTMLElement {
  const kind = a.kind === "guidance" || a.kind === "measure" ? a.kind : "announcement";
  return h(
    "article",
    { class: "announcement", "data-testid": "announcement", "data-id": a.id },
    h("p", { class: "meta" }, h("span", { class: `kind kind-${kind}` }, t(kind)), " ", h("time", { datetime: a.publishedAt }, instantText(a.publishedAt))),
    h("h3", { "data-testid": "announcement-title" }, a.title),
    h("p", { class: "where" }, a.communeName ?? (a.communeCode ? a.communeCode : t("wholeProvince"))),
    h("p", { class: "body", "data-testid": "announcement-body" }, a.body),
  );
}

function announcements(s: Situation): HTMLElement {
  return h(
    "section",
    { class: "announcements", "data-testid": "announcements" },
    h("h2", null, t("announcements")),
    ...(s.announcements.length ? s.announcements.map(announcement) : [h("p", { "data-testid": "announcements-none" }, t("noAnnouncements"))]),
  );
}

const TOOLS: { href: string; id: string; label: Key; hint: Key }[] = [
  { href: "/notices", id: "notices", label: "toolNotices", hint: "toolNoticesHint" },
  { href: "/app/declare", id: "declare", label: "toolDeclare", hint: "toolDeclareHint" },
  { href: "/app/vaccination/certificate", id: "vaccination", label: "toolVaccine", hint: "toolVaccineHint" },
  { href: "/app/tests/certificate", id: "tests", label: "toolTests", hint: "toolTestsHint" },
  { href: "/app/report", id: "report", label: "toolReport", hint: "toolReportHint" },
];

function tools(): HTMLElement {
  return h(
    "section",
    { class: "tools", "data-testid": "tools" },
    h("h2", null, t("tools")),
    h(
      "ul",
      null,
      ...TOOLS.map((tool) => h("li", null, h("a", { href: tool.href, "data-testid": `tool-${tool.id}` }, h("strong", null, t(tool.label)), h("span", null, t(tool.hint))))),
    ),
  );
}

function provinceList(provinces: { code: string; name: string }[]): HTMLElement {
  return h(
    "ul",
    { class: "provinces", "data-testid": "province-list" },
    ...[...provinces]
      .sort((a, b) => a.name.localeCompare(b.name, "vi"))
      .map((p) => h("li", null, h("a", { href: `${base}/${p.code}` }, p.name))),
  );
}

function render(): void {
  document.documentElement.lang = lang;
  if (data.ok) {
    const s = data.situation;
    document.title = `${t("title")} — ${s.province.name}`;
    root.replaceChildren(
      header(),
      h(
        "div",
        { class: "wrap" },
        h("h1", { "data-testid": "situation-province" }, s.province.name),
        h("p", { class: "sub", "data-testid": "situation-day" }, s.day ? t("updated", { day: dayText(s.day) }) : t("noData")),
        figures(s),
        announcements(s),
        tools(),
        h("p", { class: "other" }, h("a", { href: base, "data-testid": "other-provinces" }, t("otherProvinces"))),
      ),
    );
    return;
  }
  document.title = t("title");
  root.replaceChildren(
    header(),
    h(
      "div",
      { class: "wrap" },
      data.code === "not_found" && h("p", { class: "alert", role: "alert", "data-testid": "situation-not-found" }, t("notFound")),
      h("h1", null, t("choose")),
      provinceList(data.provinces),
      tools(),
    ),
  );
}

render();
