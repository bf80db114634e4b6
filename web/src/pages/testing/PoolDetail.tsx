/**
 * One pool: its site, lab, seal and result, its label, and its members with each one's status
 * (a positive pool's members wait for their retest).
 */
import { A } from "@solidjs/router";
import { For, Show } from "solid-js";
import { canRecordLabResults, canTakeSamples } from "../../access";
import RecordPage, { Fact } from "../../components/RecordPage";
import { t } from "../../i18n";
import { session } from "../../session";
import LabelButton from "./LabelButton";
import TestingNav from "./TestingNav";
import { getPool, type PoolDetail } from "./testing.api";
import { formatVnDateTime, poolStatusLabel, resultClass, resultLabel, sampleStatusLabel, statusClass } from "./testing.data";
import "./testing.css";

export default function PoolDetailPage() {
  return (
    <RecordPage<PoolDetail>
      name="test-pool-detail"
      load={getPool}
      backHref="/testing/pools"
      backLabel={t("test.pools.title")}
      notFoundTitle={t("test.pool.notFound")}
      notFoundBody={t("test.pool.notFoundBody")}
    >
      {(p) => <PoolBody pool={p()} />}
    </RecordPage>
  );
}

function PoolBody(props: { pool: PoolDetail }) {
  const me = () => session.user()!;
  const p = () => props.pool;
  return (
    <>
      <TestingNav />
      <header class="page-head">
        <div>
          <h1 class="test-code" data-testid="test-pool-title">
            {p().code}
          </h1>
          <p class="muted">{p().siteName}</p>
        </div>
        <div class="head-actions">
          <Show when={p().result} fallback={<span class={`test-badge test-pool-${p().status}`} data-testid="test-pool-status">{poolStatusLabel(p().status)}</span>}>
            <span class={resultClass(p().result!)} data-testid="test-pool-status">
              {resultLabel(p().result!)}
            </span>
          </Show>
          <LabelButton kind="pool" id={p().id} code={p().code} testId="test-pool-label" label={t("test.pool.label")} />
          <Show when={p().status === "open" && canTakeSamples(me().role)}>
            <A href={`/testing/desk?site=${encodeURIComponent(p().siteId)}&pool=${encodeURIComponent(p().id)}`} class="btn btn-small btn-primary">
              {t("test.site.openDesk")}
            </A>
          </Show>
          <Show when={p().status === "sealed" && canRecordLabResults(me().role)}>
            <A href="/testing/lab" class="btn btn-small btn-primary">
              {t("test.nav.lab")}
            </A>
          </Show>
        </div>
      </header>
      <dl class="facts test-facts">
        <Fact label={t("test.pool.samples")} testId="test-pool-size">
          {p().size}/{p().maxSize}
        </Fact>
        <Fact label={t("test.pool.lab")}>{p().labName ?? "–"}</Fact>
        <Fact label={t("test.pool.sealedAt")}>{p().sealedAt ? formatVnDateTime(p().sealedAt) : "–"}</Fact>
        <Fact label={t("test.pool.resultAt")}>{p().resultAt ? formatVnDateTime(p().resultAt) : "–"}</Fact>
      </dl>
      <section class="card" aria-labelledby="test-pool-members-title">
        <h2 id="test-pool-members-title">{t("test.pool.members")}</h2>
        <Show when={p().members.length > 0} fallback={<p class="muted">{t("test.pool.empty")}</p>}>
          <ul class="test-rows" data-testid="test-pool-members">
            <For each={p().members}>
              {(m) => (
                <li class="test-row" data-testid="test-pool-member" data-sample-id={m.sampleId} data-status={m.status}>
                  <div>
                    <A href={`/testing/samples/${encodeURIComponent(m.sampleId)}`} class="venue-link">
                      <strong>{m.fullName}</strong>
                    </A>
                    <span class="sub muted">
                      {m.birthYear ?? "–"} · <code>{m.barcode}</code>
                    </span>
                  </div>
                  <span class={statusClass(m.status)} data-testid="test-pool-member-status">
                    {sampleStatusLabel(m.status)}
                  </span>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </section>
    </>
  );
}
