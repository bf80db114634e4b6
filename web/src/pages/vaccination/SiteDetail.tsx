/**
 * One vaccination site: its details (editable by the officers who manage sites) and three tabs —
 * the day (appointments, priority groups first, and check-in by scanning or typing the code),
 * the published slots, and the staff. The tab lives in the address (?tab=slots).
 */
import { useSearchParams } from "@solidjs/router";
import { For, Match, Show, Switch, createEffect, createSignal } from "solid-js";
import { canManageSites, canVaccinate } from "../../access";
import { areaLabel, ensureAreaNames } from "../../adminUnits";
import Dialog from "../../components/Dialog";
import Flash, { createFlash } from "../../components/Flash";
import RecordPage, { Fact } from "../../components/RecordPage";
import { t, type MessageKey } from "../../i18n";
import { session } from "../../session";
import SiteDay from "./SiteDay";
import SiteForm from "./SiteForm";
import SiteSlots from "./SiteSlots";
import SiteStaff from "./SiteStaff";
import VaccinationNav from "./VaccinationNav";
import { getSite, type SiteDetail } from "./vaccination.api";
import { formatCount, siteStatusLabel } from "./vaccination.data";
import "./vaccination.css";

const TABS = ["day", "slots", "staff"] as const;
type Tab = (typeof TABS)[number];
const TAB_LABEL: Record<Tab, MessageKey> = { day: "vacc.site.tab.day", slots: "vacc.site.tab.slots", staff: "vacc.site.tab.staff" };

export default function SiteDetailPage() {
  return (
    <RecordPage<SiteDetail>
      name="vacc-site"
      load={getSite}
      backHref="/vaccination/sites"
      backLabel={t("vacc.sites.back")}
      notFoundTitle={t("vacc.site.notFound")}
      notFoundBody={t("vacc.site.notFoundBody")}
    >
      {(site, set) => <SiteBody site={site()} onChange={set} />}
    </RecordPage>
  );
}

function SiteBody(props: { site: SiteDetail; onChange: (s: SiteDetail) => void }) {
  const me = () => session.user()!;
  const [params, setParams] = useSearchParams<{ tab?: string }>();
  const tab = (): Tab => (TABS.includes(params.tab as Tab) ? (params.tab as Tab) : "day");
  const [editing, setEditing] = createSignal(false);
  const flash = createFlash();
  const s = () => props.site;
  createEffect(() => ensureAreaNames(s().provinceCode, s().communeCode));

  return (
    <>
      <VaccinationNav />
      <header class="page-head">
        <div>
          <h1 data-testid="vacc-site-title">{s().name}</h1>
          <p class="muted">
            {s().address} · {areaLabel(s().provinceCode, s().communeCode)}
          </p>
        </div>
        <div class="head-actions">
          <span class={`vacc-badge vacc-site-${s().status}`} data-testid="vacc-site-status">
            {siteStatusLabel(s().status)}
          </span>
          <Show when={canManageSites(me().role)}>
            <button type="button" class="btn btn-small" onClick={() => setEditing(true)} data-testid="vacc-site-edit">
              {t("vacc.site.edit")}
            </button>
          </Show>
        </div>
      </header>
      <Flash message={flash.message()} />
      <dl class="facts vacc-site-facts">
        <Fact label={t("vacc.site.capacityPerDay")} testId="vacc-site-capacity">
          {formatCount(s().capacityPerDay)}
        </Fact>
        <Fact label={t("vacc.site.staffCount")}>{formatCount(s().staff.length)}</Fact>
      </dl>

      <div class="tabs" role="tablist" aria-label={t("vacc.site.tabs")}>
        <For each={TABS}>
          {(name) => (
            <button
              type="button"
              role="tab"
              class="tab"
              aria-selected={tab() === name}
              onClick={() => setParams({ tab: name === "day" ? undefined : name }, { replace: true })}
              data-testid={`vacc-site-tab-${name}`}
            >
              {t(TAB_LABEL[name])}
            </button>
          )}
        </For>
      </div>
      <div role="tabpanel">
        <Switch>
          <Match when={tab() === "day"}>
            <SiteDay site={s()} canCheckIn={canVaccinate(me().role) && s().status === "active"} />
          </Match>
          <Match when={tab() === "slots"}>
            <SiteSlots site={s()} canPublish={canVaccinate(me().role) && s().status === "active"} />
          </Match>
          <Match when={tab() === "staff"}>
            <SiteStaff site={s()} canAssign={canManageSites(me().role)} onChange={(staff) => props.onChange({ ...s(), staff })} />
          </Match>
        </Switch>
      </div>

      <Show when={editing()}>
        <Dialog title={t("vacc.site.edit")} onClose={() => setEditing(false)} testId="vacc-site-edit-dialog">
          <SiteForm
            me={me()}
            site={s()}
            onCancel={() => setEditing(false)}
            onSaved={(saved) => {
              props.onChange({ ...s(), ...saved });
              setEditing(false);
              flash.show(t("vacc.site.saved"));
            }}
          />
        </Dialog>
      </Show>
    </>
  );
}
