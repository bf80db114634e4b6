/**
 * One campaign: its facts and counts (samples, pools, positive, waiting for a retest, each a link
 * to the samples or pools behind it), its testing sites (officers who manage add one), and the
 * labs of its province that receive its pools.
 */
import { A } from "@solidjs/router";
import { For, Show, createEffect, createResource, createSignal } from "solid-js";
import { canManageLabs, canManageTesting, canTakeSamples } from "../../access";
import { areaLabel, ensureAreaNames } from "../../adminUnits";
import Dialog from "../../components/Dialog";
import ErrorBanner from "../../components/ErrorBanner";
import Flash, { createFlash } from "../../components/Flash";
import RecordPage, { Fact } from "../../components/RecordPage";
import Spinner from "../../components/Spinner";
import { t } from "../../i18n";
import { session } from "../../session";
import { formatDay } from "../venues.data";
import CampaignForm from "./CampaignForm";
import TestingNav from "./TestingNav";
import TestSiteForm from "./TestSiteForm";
import { getCampaign, listCampaignSites, listLabs, type CampaignDetail } from "./testing.api";
import { campaignStatusLabel, formatCount, siteStatusLabel, testTypeLabel } from "./testing.data";
import "./testing.css";

export default function CampaignDetailPage() {
  return (
    <RecordPage<CampaignDetail>
      name="test-campaign"
      load={getCampaign}
      backHref="/testing/campaigns"
      backLabel={t("test.campaigns.back")}
      notFoundTitle={t("test.campaign.notFound")}
      notFoundBody={t("test.campaign.notFoundBody")}
    >
      {(c, set) => <CampaignBody campaign={c()} onChange={set} />}
    </RecordPage>
  );
}

function CampaignBody(props: { campaign: CampaignDetail; onChange: (c: CampaignDetail) => void }) {
  const me = () => session.user()!;
  const c = () => props.campaign;
  const flash = createFlash();
  const [editing, setEditing] = createSignal(false);
  const [addingSite, setAddingSite] = createSignal(false);
  const [sites, { refetch: refetchSites, mutate: setSites }] = createResource(() => c().id, (id) => listCampaignSites(id).then((r) => r.items));
  const [labs, { refetch: refetchLabs }] = createResource(() => listLabs({ limit: 100 }).then((r) => r.items.filter((l) => l.provinceCode === c().provinceCode)));
  createEffect(() => ensureAreaNames(c().provinceCode, c().communeCode));
  createEffect(() => (sites() ?? []).forEach((s) => ensureAreaNames(s.provinceCode, s.communeCode)));
  const q = (extra: Record<string, string>) => `?${new URLSearchParams({ campaign: c().id, ...extra }).toString()}`;

  return (
    <>
      <TestingNav />
      <header class="page-head">
        <div>
          <h1 data-testid="test-campaign-title">{c().name}</h1>
          <p class="muted">
            {testTypeLabel(c().testType)} · {areaLabel(c().provinceCode, c().communeCode)}
          </p>
        </div>
        <div class="head-actions">
          <span class={`test-badge test-campaign-${c().status}`} data-testid="test-campaign-status">
            {campaignStatusLabel(c().status)}
          </span>
          <Show when={canManageTesting(me().role)}>
            <button type="button" class="btn btn-small" onClick={() => setEditing(true)} data-testid="test-campaign-edit">
              {t("test.campaign.edit")}
            </button>
          </Show>
        </div>
      </header>
      <Flash message={flash.message()} />
      <dl class="facts test-facts">
        <Fact label={t("test.campaign.days")} testId="test-campaign-days">
          {formatDay(c().startsOn)} – {formatDay(c().endsOn)}
        </Fact>
        <Fact label={t("test.campaign.poolSize")} testId="test-campaign-pool-size">
          {c().testType === "pcr" && c().poolSize > 1 ? t("test.campaign.poolOf", { n: c().poolSize }) : t("test.campaign.noPooling")}
        </Fact>
      </dl>

      <div class="counters test-counters" data-testid="test-campaign-counts">
        <A href={`/testing/samples${q({})}`} class="counter counter-link" data-testid="test-count-samples" data-value={c().counts.samples}>
          <span class="counter-label">{t("test.counts.samples")}</span>
          <span class="counter-value">{formatCount(c().counts.samples)}</span>
        </A>
        <A href={`/testing/pools${q({})}`} class="counter counter-link" data-testid="test-count-pools" data-value={c().counts.pools}>
          <span class="counter-label">{t("test.counts.pools")}</span>
          <span class="counter-value">{formatCount(c().counts.pools)}</span>
        </A>
        <A href={`/testing/samples${q({ status: "positive" })}`} class="counter counter-link counter-alert" data-testid="test-count-positive" data-value={c().counts.positive}>
          <span class="counter-label">{t("test.counts.positive")}</span>
          <span class="counter-value">{formatCount(c().counts.positive)}</span>
        </A>
        <A href={`/testing/samples${q({ status: "retest_needed" })}`} class="counter counter-link" data-testid="test-count-retest" data-value={c().counts.retestNeeded}>
          <span class="counter-label">{t("test.counts.retestNeeded")}</span>
          <span class="counter-value">{formatCount(c().counts.retestNeeded)}</span>
        </A>
      </div>

      <section class="card" aria-labelledby="test-campaign-sites-title" data-testid="test-campaign-sites">
        <div class="section-head">
          <div>
            <h2 id="test-campaign-sites-title">{t("test.sites.title")}</h2>
            <p class="muted small">{t("test.sites.lead")}</p>
          </div>
          <Show when={canManageTesting(me().role) && c().status === "open"}>
            <button type="button" class="btn btn-small btn-primary" onClick={() => setAddingSite(true)} data-testid="test-site-new">
              {t("test.sites.new")}
            </button>
          </Show>
        </div>
        <Show when={sites.error}>
          <ErrorBanner error={sites.error} onRetry={() => void refetchSites()} />
        </Show>
        <Show when={sites()} fallback={<Spinner label={t("common.loading")} />}>
          {(items) => (
            <Show when={items().length > 0} fallback={<p class="muted" data-testid="test-sites-empty">{t("test.sites.empty")}</p>}>
              <ul class="test-rows">
                <For each={items()}>
                  {(s) => (
                    <li class="test-row" data-testid="test-site-row" data-site-id={s.id} data-site-name={s.name}>
                      <div>
                        <A href={`/testing/sites/${encodeURIComponent(s.id)}`} class="venue-link" data-testid="test-site-open">
                          <strong>{s.name}</strong>
                        </A>
                        <span class="sub muted">
                          {s.address} · {areaLabel(s.provinceCode, s.communeCode)}
                        </span>
                      </div>
                      <div class="test-row-actions">
                        <span class={`test-badge test-site-${s.status}`}>{siteStatusLabel(s.status)}</span>
                        <Show when={canTakeSamples(me().role) && s.status === "active"}>
                          <A href={`/testing/desk?site=${encodeURIComponent(s.id)}`} class="btn btn-small" data-testid="test-site-desk">
                            {t("test.site.openDesk")}
                          </A>
                        </Show>
                      </div>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          )}
        </Show>
      </section>

      <section class="card" aria-labelledby="test-campaign-labs-title" data-testid="test-campaign-labs">
        <div class="section-head">
          <div>
            <h2 id="test-campaign-labs-title">{t("test.labs.title")}</h2>
            <p class="muted small">{t("test.labs.ofProvince")}</p>
          </div>
          <A href="/testing/labs" class="btn btn-small" data-testid="test-campaign-labs-link">
            {canManageLabs(me().role) ? t("test.labs.manage") : t("test.labs.all")}
          </A>
        </div>
        <Show when={labs.error}>
          <ErrorBanner error={labs.error} onRetry={() => void refetchLabs()} />
        </Show>
        <Show when={labs()} fallback={<Spinner label={t("common.loading")} />}>
          {(items) => (
            <Show when={items().length > 0} fallback={<p class="muted">{t("test.labs.empty")}</p>}>
              <ul class="test-rows">
                <For each={items()}>
                  {(l) => (
                    <li class="test-row" data-testid="test-campaign-lab" data-lab-id={l.id}>
                      <div>
                        <A href={`/testing/labs/${encodeURIComponent(l.id)}`} class="venue-link">
                          <strong>{l.name}</strong>
                        </A>
                        <span class="sub muted">{l.address}</span>
                      </div>
                      <A href={`/testing/pools?lab=${encodeURIComponent(l.id)}&campaign=${encodeURIComponent(c().id)}`} class="btn btn-small btn-ghost">
                        {t("test.labs.pools")}
                      </A>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          )}
        </Show>
      </section>

      <Show when={editing()}>
        <Dialog title={t("test.campaign.edit")} onClose={() => setEditing(false)} testId="test-campaign-edit-dialog">
          <CampaignForm
            me={me()}
            campaign={c()}
            onCancel={() => setEditing(false)}
            onSaved={(saved) => {
              props.onChange({ ...c(), ...saved });
              setEditing(false);
              flash.show(t("test.campaign.saved"));
            }}
          />
        </Dialog>
      </Show>
      <Show when={addingSite()}>
        <Dialog title={t("test.sites.new")} onClose={() => setAddingSite(false)} testId="test-site-dialog">
          <TestSiteForm
            campaign={c()}
            onCancel={() => setAddingSite(false)}
            onSaved={(site) => {
              setSites((items) => [...(items ?? []), site]);
              setAddingSite(false);
              flash.show(t("test.site.created", { name: site.name }));
            }}
          />
        </Dialog>
      </Show>
    </>
  );
}
