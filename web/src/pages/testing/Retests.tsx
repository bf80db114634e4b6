/**
 * People waiting for a retest: samples whose pool was positive or invalid (or whose own result
 * was invalid), at the caller's sites. "Take retest" registers the new sample for the same person
 * (a PCR retest goes alone to the lab chosen above the list) and offers its label.
 */
import { A, useSearchParams } from "@solidjs/router";
import { For, Show, createEffect, createMemo, createResource, createSignal, on } from "solid-js";
import ErrorBanner from "../../components/ErrorBanner";
import { FilterBar, FilterField, ListTable } from "../../components/ListView";
import { t } from "../../i18n";
import { session } from "../../session";
import LabelButton from "./LabelButton";
import TestingNav from "./TestingNav";
import { createSample, listLabs, listMyTestSites, type Sample, type SampleListItem } from "./testing.api";
import { createSampleList, errorText, formatVnDateTime, sameFilters, sampleStatusLabel, statusClass, testTypeLabel } from "./testing.data";
import "./testing.css";

type Params = { site?: string; status?: string };
const LAB_KEY = "php.portal.testLab";

export default function RetestsPage() {
  const me = () => session.user()!;
  const [params, setParams] = useSearchParams<Params>();
  const status = () => (params.status === "invalid" ? "invalid" : "retest_needed");
  const [sites] = createResource(
    () => me().role === "site_staff",
    () => listMyTestSites().then((r) => r.items),
  );
  const filters = createMemo(() => ({ siteId: params.site ?? "", status: status() as "invalid" | "retest_needed" }), undefined, { equals: sameFilters });
  const list = createSampleList(filters);
  const [labs] = createResource(() => listLabs({ limit: 100 }).then((r) => r.items.filter((l) => l.active)));
  const [labId, setLabId] = createSignal("");
  createEffect(
    on(labs, (items) => {
      if (!items || labId()) return;
      let remembered = "";
      try {
        remembered = localStorage.getItem(LAB_KEY) ?? "";
      } catch {
        // Private mode.
      }
      setLabId(items.find((l) => l.id === remembered)?.id ?? (items.length === 1 ? items[0]!.id : ""));
    }),
  );
  const [taken, setTaken] = createSignal<Record<string, Sample>>({});
  const [busy, setBusy] = createSignal<string | null>(null);
  const [failure, setFailure] = createSignal<{ id: string; message: string } | null>(null);
  const active = () => !!(params.site || params.status);
  const clear = () => setParams({ site: undefined, status: undefined }, { replace: true });

  const take = async (x: SampleListItem) => {
    const pcr = x.testType === "pcr";
    if (pcr && !labId()) {
      setFailure({ id: x.id, message: t("test.retests.chooseLab") });
      document.getElementById("test-retests-lab")?.focus();
      return;
    }
    setBusy(x.id);
    setFailure(null);
    try {
      const sample = await createSample({ siteId: x.siteId, retestOf: x.id, ...(pcr ? { labId: labId() } : {}) });
      setTaken((m) => ({ ...m, [x.id]: sample }));
      try {
        if (pcr) localStorage.setItem(LAB_KEY, labId());
      } catch {
        // Private mode.
      }
    } catch (error) {
      setFailure({ id: x.id, message: errorText(error) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <section class="page" data-testid="test-retests-page">
      <TestingNav />
      <header class="page-head">
        <div>
          <h1 data-testid="test-retests-title">{t("test.retests.title")}</h1>
          <p class="muted">{t("test.retests.lead")}</p>
        </div>
      </header>
      <FilterBar testId="test-retests" active={active()} onClear={clear}>
        <Show when={(sites()?.length ?? 0) > 1}>
          <FilterField id="test-retests-site" label={t("test.col.site")}>
            <select id="test-retests-site" value={params.site ?? ""} onChange={(e) => setParams({ site: e.currentTarget.value || undefined }, { replace: true })} data-testid="test-retests-site">
              <option value="">{t("common.all")}</option>
              <For each={sites() ?? []}>{(s) => <option value={s.id}>{s.name}</option>}</For>
            </select>
          </FilterField>
        </Show>
        <FilterField id="test-retests-status" label={t("test.col.status")}>
          <select id="test-retests-status" value={status()} onChange={(e) => setParams({ status: e.currentTarget.value === "invalid" ? "invalid" : undefined }, { replace: true })} data-testid="test-retests-status">
            <option value="retest_needed">{sampleStatusLabel("retest_needed")}</option>
            <option value="invalid">{sampleStatusLabel("invalid")}</option>
          </select>
        </FilterField>
        <FilterField id="test-retests-lab" label={t("test.retests.lab")}>
          <select id="test-retests-lab" value={labId()} onChange={(e) => setLabId(e.currentTarget.value)} data-testid="test-retests-lab">
            <option value="">{labs.loading ? t("common.loading") : t("test.pool.chooseLab")}</option>
            <For each={labs() ?? []}>
              {(l) => (
                <option value={l.id} selected={l.id === labId()}>
                  {l.name}
                </option>
              )}
            </For>
          </select>
        </FilterField>
      </FilterBar>
      <Show when={labs.error}>
        <ErrorBanner error={labs.error} />
      </Show>
      <ListTable
        list={list}
        testId="test-retests"
        columns={[{ label: t("test.col.person") }, { label: t("test.col.sample") }, { label: t("test.col.status") }, { label: "" }]}
        emptyText={t("test.retests.empty")}
        filtersActive={active()}
        onClearFilters={clear}
      >
        {(x) => (
          <tr data-testid="test-retest-row" data-sample-id={x.id} data-barcode={x.barcode} data-person-id={x.personId}>
            <td data-label={t("test.col.person")} class="cell-title">
              <strong data-testid="test-person-name">{x.fullName}</strong>
              <Show when={x.birthYear}>
                <span class="sub muted">{x.birthYear}</span>
              </Show>
            </td>
            <td data-label={t("test.col.sample")}>
              <div>
                <A href={`/testing/samples/${encodeURIComponent(x.id)}`} class="venue-link">
                  <code>{x.barcode}</code>
                </A>
                <span class="sub muted">
                  {x.siteName} · {formatVnDateTime(x.takenAt)}
                  <Show when={x.poolCode}> · {t("test.pool.short", { code: x.poolCode! })}</Show>
                </span>
              </div>
            </td>
            <td data-label={t("test.col.status")}>
              <span class={statusClass(taken()[x.id] ? "retested" : x.status)} data-testid="test-retest-status">
                {sampleStatusLabel(taken()[x.id] ? "retested" : x.status)}
              </span>
            </td>
            <td class="row-actions">
              <Show
                when={taken()[x.id]}
                fallback={
                  <button type="button" class="btn btn-small btn-primary" disabled={busy() === x.id} onClick={() => void take(x)} data-testid="test-retest-take">
                    {busy() === x.id ? t("common.saving") : t("test.retests.take", { type: testTypeLabel(x.testType) })}
                  </button>
                }
              >
                {(r) => (
                  <span class="test-retest-done" data-testid="test-retest-done" data-barcode={r().barcode}>
                    <code data-testid="test-retest-barcode">{r().barcode}</code>
                    <LabelButton kind="sample" id={r().id} code={r().barcode} testId="test-retest-label" label={t("test.label.short")} />
                  </span>
                )}
              </Show>
              <Show when={failure()?.id === x.id}>
                <span class="field-error" role="alert" data-testid="test-retest-error">
                  {failure()!.message}
                </span>
              </Show>
            </td>
          </tr>
        )}
      </ListTable>
    </section>
  );
}
