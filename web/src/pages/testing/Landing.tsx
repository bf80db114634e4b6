/**
 * The portal's "/": lab staff go to the lab page; site staff to their work — vaccination, testing,
 * or, when they work at both kinds of site, a page listing both; venue staff to their venues and
 * everyone else to the home page (VenueLanding).
 */
import { A, Navigate } from "@solidjs/router";
import { For, Match, Show, Switch, createResource } from "solid-js";
import ErrorBanner from "../../components/ErrorBanner";
import Spinner from "../../components/Spinner";
import { t } from "../../i18n";
import { session } from "../../session";
import { listSites } from "../vaccination/vaccination.api";
import VenueLanding from "../VenueLanding";
import { listMyTestSites, type TestSite } from "./testing.api";
import { testTypeLabel } from "./testing.data";
import "./testing.css";

export default function Landing() {
  const role = () => session.user()?.role;
  return (
    <Switch fallback={<VenueLanding />}>
      <Match when={role() === "lab_staff"}>
        <Navigate href="/testing/lab" />
      </Match>
      <Match when={role() === "site_staff"}>
        <SiteStaffLanding />
      </Match>
    </Switch>
  );
}

interface Work {
  vaccination: { id: string; name: string }[];
  testing: TestSite[];
}

async function loadWork(): Promise<Work> {
  const [vaccination, testing] = await Promise.all([
    listSites({ status: "active", limit: 20 }).then((r) => r.items.map((s) => ({ id: s.id, name: s.name }))),
    listMyTestSites().then((r) => r.items.filter((s) => s.status === "active")),
  ]);
  return { vaccination, testing };
}

function SiteStaffLanding() {
  const [work, { refetch }] = createResource(loadWork);
  return (
    <Switch
      fallback={
        <div class="page-loading">
          <Spinner label={t("common.loading")} />
        </div>
      }
    >
      <Match when={work.error}>
        <section class="page">
          <ErrorBanner error={work.error} onRetry={() => void refetch()} />
        </section>
      </Match>
      <Match when={work() && work()!.testing.length === 0}>
        <Navigate href="/vaccination" />
      </Match>
      <Match when={work() && work()!.vaccination.length === 0}>
        <Navigate href="/testing" />
      </Match>
      <Match when={work()}>{(w) => <WorkChooser work={w()} />}</Match>
    </Switch>
  );
}

/** Staff of both kinds of site: where do you work today? */
function WorkChooser(props: { work: Work }) {
  return (
    <section class="page narrow" data-testid="work-chooser">
      <header class="page-head">
        <div>
          <h1 data-testid="work-chooser-title">{t("test.landing.title", { name: session.user()?.displayName ?? "" })}</h1>
          <p class="muted">{t("test.landing.lead")}</p>
        </div>
      </header>
      <div class="test-work-grid">
        <section class="card" aria-labelledby="work-testing">
          <h2 id="work-testing">{t("test.landing.testing")}</h2>
          <ul class="quick-links">
            <For each={props.work.testing}>
              {(s) => (
                <li>
                  <A href={`/testing/desk?site=${encodeURIComponent(s.id)}`} class="quick-link" data-testid="work-test-site" data-site-id={s.id}>
                    <strong>{s.name}</strong>
                    <span class="muted">
                      {s.campaignName} · {testTypeLabel(s.testType)}
                    </span>
                    <span class="chevron" aria-hidden="true">
                      ›
                    </span>
                  </A>
                </li>
              )}
            </For>
          </ul>
        </section>
        <section class="card" aria-labelledby="work-vaccination">
          <h2 id="work-vaccination">{t("test.landing.vaccination")}</h2>
          <ul class="quick-links">
            <For each={props.work.vaccination}>
              {(s) => (
                <li>
                  <A href={`/vaccination/sites/${encodeURIComponent(s.id)}`} class="quick-link" data-testid="work-vacc-site" data-site-id={s.id}>
                    <strong>{s.name}</strong>
                    <span class="muted">{t("test.landing.vaccinationDesc")}</span>
                    <span class="chevron" aria-hidden="true">
                      ›
                    </span>
                  </A>
                </li>
              )}
            </For>
          </ul>
          <Show when={props.work.vaccination.length === 0}>
            <p class="muted">{t("common.empty")}</p>
          </Show>
        </section>
      </div>
    </section>
  );
}
