/** The shell: top bar (language), the screen of the path, the tab bar once signed in. */
import { Match, Show, Suspense, Switch, createEffect, lazy, on, type JSX } from "solid-js";
import { Declare } from "./Declare";
import { Family } from "./Family";
import { Home } from "./Home";
import { lang, setLang, t } from "./i18n";
import { Declarations, Exposures } from "./Lists";
import { forgetMe, loadMe } from "./me";
import { Profile } from "./Profile";
import { FollowReport, Report } from "./Reports";
import { navigate, path } from "./router";
import { session, signOut } from "./session";
import { SignIn } from "./SignIn";
import { A } from "./ui";

// The vaccination screens (and the certificate's QR drawing) load when first opened.
const vaccination = () => import("./vaccination");
const Vaccination = lazy(() => vaccination().then((m) => ({ default: m.Vaccination })));
const Book = lazy(() => vaccination().then((m) => ({ default: m.Book })));
const AppointmentQr = lazy(() => vaccination().then((m) => ({ default: m.AppointmentQr })));
const Reaction = lazy(() => vaccination().then((m) => ({ default: m.Reaction })));
const Certificate = lazy(() => vaccination().then((m) => ({ default: m.Certificate })));
// The tests screens (docs/TESTING.md), likewise a chunk of their own.
const testing = () => import("./testing");
const Tests = lazy(() => testing().then((m) => ({ default: m.Tests })));
const TestCertificate = lazy(() => testing().then((m) => ({ default: m.TestCertificate })));

const LOGO = (
  <svg viewBox="0 0 32 32" aria-hidden="true">
    <rect width="32" height="32" rx="8" fill="#0b6e4f" />
    <path d="M13 7h6v6h6v6h-6v6h-6v-6H7v-6h6z" fill="#fff" />
  </svg>
);
const icon = (d: string) => (
  <svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
    <path d={d} />
  </svg>
);
const isVaccination = (p: string) => p === "/vaccination" || p.startsWith("/vaccination/");
const TABS: { href: string; label: "tabQr" | "tabDeclare" | "tabVaccination" | "tabNotices" | "tabMore"; icon: JSX.Element; match: (p: string) => boolean }[] = [
  { href: "/", label: "tabQr", icon: icon("M4 4h6v6H4zM14 4h6v6h-6zM4 14h6v6H4zM14 14h2v2h-2zM18 18h2v2h-2zM14 18h2M18 14h2"), match: (p) => p === "/" },
  { href: "/declare", label: "tabDeclare", icon: icon("M9 4h6l1 2h3v14H5V6h3zM9 12l2 2 4-4"), match: (p) => p === "/declare" || p === "/declarations" },
  { href: "/vaccination", label: "tabVaccination", icon: icon("M17 3l4 4M19 5l-9 9M8 12l4 4M11 9l4 4M6 14l-3 3v4h4l3-3"), match: isVaccination },
  { href: "/notices", label: "tabNotices", icon: icon("M6 16V11a6 6 0 0 1 12 0v5l2 2H4zM10 20h4"), match: (p) => p === "/notices" },
  { href: "/more", label: "tabMore", icon: icon("M4 6h16M4 12h16M4 18h16"), match: (p) => !["/", "/declare", "/declarations", "/notices"].includes(p) && !isVaccination(p) },
];

function More() {
  return (
    <div class="page" data-testid="more">
      <h1>{t("moreTitle")}</h1>
      <nav class="menu">
        <A href="/profile" testId="menu-profile">
          {t("profileTitle")}
        </A>
        <A href="/family" testId="menu-family">
          {t("familyTitle")}
        </A>
        <A href="/tests" testId="menu-tests">
          {t("tstTitle")}
        </A>
        <A href="/declarations" testId="menu-declarations">
          {t("myDeclarations")}
        </A>
        <A href="/report" testId="menu-report">
          {t("reportTitle")}
        </A>
        <A href="/report/follow" testId="menu-follow">
          {t("followTitle")}
        </A>
      </nav>
      <button
        type="button"
        class="btn danger"
        data-testid="sign-out"
        onClick={async () => {
          await signOut();
          navigate("/", true);
        }}
      >
        {t("signOut")}
      </button>
    </div>
  );
}

export function App() {
  // Signed in (here or in another tab): load the profile; signed out: forget it.
  createEffect(
    on(
      () => session()?.user.id,
      (id) => {
        if (id) void loadMe(true);
        else forgetMe();
      },
    ),
  );
  createEffect(() => {
    document.title = t("appName");
  });

  return (
    <>
      <header class="top">
        <A href="/" class="brand">
          <>
            {LOGO}
            {t("appName")}
          </>
        </A>
        <button
          type="button"
          class="chip-btn"
          data-testid="lang-toggle"
          lang={lang() === "vi" ? "en" : "vi"}
          aria-label={lang() === "vi" ? "English" : "Tiếng Việt"}
          onClick={() => setLang(lang() === "vi" ? "en" : "vi")}
        >
          {lang() === "vi" ? "EN" : "VI"}
        </button>
      </header>
      <main>
        <Switch fallback={<SignIn />}>
          <Match when={path() === "/report"}>
            <Report />
          </Match>
          <Match when={path() === "/report/follow"}>
            <FollowReport />
          </Match>
          <Match when={session() && path() === "/"}>
            <Home />
          </Match>
          <Match when={session() && path() === "/profile"}>
            <Profile />
          </Match>
          <Match when={session() && path() === "/family"}>
            <Family />
          </Match>
          <Match when={session() && path() === "/declare"}>
            <Declare />
          </Match>
          <Match when={session() && path() === "/declarations"}>
            <Declarations />
          </Match>
          <Match when={session() && path() === "/notices"}>
            <Exposures />
          </Match>
          <Match when={session() && path() === "/vaccination"}>
            <Lazy>
              <Vaccination />
            </Lazy>
          </Match>
          <Match when={session() && path() === "/vaccination/register"}>
            <Lazy>
              <Book mode="register" />
            </Lazy>
          </Match>
          <Match when={session() && path() === "/vaccination/book"}>
            <Lazy>
              <Book mode="book" />
            </Lazy>
          </Match>
          <Match when={session() && path() === "/vaccination/appointment"}>
            <Lazy>
              <AppointmentQr />
            </Lazy>
          </Match>
          <Match when={session() && path() === "/vaccination/reaction"}>
            <Lazy>
              <Reaction />
            </Lazy>
          </Match>
          <Match when={session() && path() === "/vaccination/certificate"}>
            <Lazy>
              <Certificate />
            </Lazy>
          </Match>
          <Match when={session() && path() === "/tests"}>
            <Lazy>
              <Tests />
            </Lazy>
          </Match>
          <Match when={session() && path() === "/tests/certificate"}>
            <Lazy>
              <TestCertificate />
            </Lazy>
          </Match>
          <Match when={session() && path() === "/more"}>
            <More />
          </Match>
          <Match when={session()}>
            <NotFound />
          </Match>
        </Switch>
      </main>
      <Show when={session()}>
        <nav class="tabs" aria-label={t("appName")}>
          {TABS.map((tab) => (
            <A href={tab.href} current={tab.match(path())} testId={`tab-${tab.href.slice(1) || "qr"}`}>
              <>
                {tab.icon}
                {t(tab.label)}
              </>
            </A>
          ))}
        </nav>
      </Show>
    </>
  );
}

/** A screen of a chunk still loading. */
function Lazy(props: { children: JSX.Element }) {
  return <Suspense fallback={<p class="spin">{t("loading")}</p>}>{props.children}</Suspense>;
}

function NotFound() {
  queueMicrotask(() => navigate("/", true));
  return null;
}
