/**
 * One testing site: its campaign, address and status (editable by the officers who manage
 * testing), a link to its desk, and its staff with their teams.
 */
import { A } from "@solidjs/router";
import { Show, createEffect, createSignal } from "solid-js";
import { canManageTesting, canTakeSamples, TEST_OFFICER_ROLES } from "../../access";
import { areaLabel, ensureAreaNames } from "../../adminUnits";
import Dialog from "../../components/Dialog";
import Flash, { createFlash } from "../../components/Flash";
import RecordPage, { Fact } from "../../components/RecordPage";
import { t } from "../../i18n";
import { session } from "../../session";
import TestingNav from "./TestingNav";
import TestSiteForm from "./TestSiteForm";
import TestSiteStaff from "./TestSiteStaff";
import { getTestSite, type TestSiteDetail } from "./testing.api";
import { siteStatusLabel, testTypeLabel } from "./testing.data";
import "./testing.css";

export default function TestSiteDetailPage() {
  const officer = () => TEST_OFFICER_ROLES.includes(session.user()!.role);
  return (
    <RecordPage<TestSiteDetail>
      name="test-site"
      load={getTestSite}
      backHref={officer() ? "/testing/campaigns" : "/testing/desk"}
      backLabel={officer() ? t("test.campaigns.back") : t("test.nav.desk")}
      notFoundTitle={t("test.site.notFound")}
      notFoundBody={t("test.site.notFoundBody")}
    >
      {(s, set) => <SiteBody site={s()} onChange={set} />}
    </RecordPage>
  );
}

function SiteBody(props: { site: TestSiteDetail; onChange: (s: TestSiteDetail) => void }) {
  const me = () => session.user()!;
  const s = () => props.site;
  const flash = createFlash();
  const [editing, setEditing] = createSignal(false);
  createEffect(() => ensureAreaNames(s().provinceCode, s().communeCode));

  return (
    <>
      <TestingNav />
      <header class="page-head">
        <div>
          <h1 data-testid="test-site-title">{s().name}</h1>
          <p class="muted">
            {s().address} · {areaLabel(s().provinceCode, s().communeCode)}
          </p>
        </div>
        <div class="head-actions">
          <span class={`test-badge test-site-${s().status}`} data-testid="test-site-status">
            {siteStatusLabel(s().status)}
          </span>
          <Show when={canTakeSamples(me().role) && s().status === "active"}>
            <A href={`/testing/desk?site=${encodeURIComponent(s().id)}`} class="btn btn-small btn-primary" data-testid="test-site-desk">
              {t("test.site.openDesk")}
            </A>
          </Show>
          <Show when={canManageTesting(me().role)}>
            <button type="button" class="btn btn-small" onClick={() => setEditing(true)} data-testid="test-site-edit">
              {t("test.site.edit")}
            </button>
          </Show>
        </div>
      </header>
      <Flash message={flash.message()} />
      <dl class="facts test-facts">
        <Fact label={t("test.site.campaign")} testId="test-site-campaign">
          <Show when={TEST_OFFICER_ROLES.includes(me().role)} fallback={s().campaignName}>
            <A href={`/testing/campaigns/${encodeURIComponent(s().campaignId)}`}>{s().campaignName}</A>
          </Show>
        </Fact>
        <Fact label={t("test.campaign.testType")}>{testTypeLabel(s().testType)}</Fact>
        <Fact label={t("test.campaign.poolSize")}>{s().testType === "pcr" && s().poolSize > 1 ? t("test.campaign.poolOf", { n: s().poolSize }) : t("test.campaign.noPooling")}</Fact>
      </dl>
      <TestSiteStaff site={s()} canAssign={canManageTesting(me().role)} onChange={(staff) => props.onChange({ ...s(), staff })} />
      <Show when={editing()}>
        <Dialog title={t("test.site.edit")} onClose={() => setEditing(false)} testId="test-site-edit-dialog">
          <TestSiteForm
            campaign={{ id: s().campaignId, provinceCode: s().provinceCode, communeCode: s().communeCode }}
            site={s()}
            onCancel={() => setEditing(false)}
            onSaved={(saved) => {
              props.onChange({ ...s(), ...saved });
              setEditing(false);
              flash.show(t("test.site.saved"));
            }}
          />
        </Dialog>
      </Show>
    </>
  );
}
