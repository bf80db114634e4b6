/**
 * The site desk, on the sampler's phone: which site (staff of one site go straight to it), the
 * current open pool with its members and size/max ("new pool", "seal and send to lab", its
 * label), taking a sample from a scanned personal QR or a person found or typed in (added to the
 * pool at once), the sample's label, and the day's samples (a rapid test's result is read here).
 * The address keeps the site and the pool (?site=&pool=).
 */
import { A, useSearchParams } from "@solidjs/router";
import { For, Match, Show, Switch, createEffect, createMemo, createResource, createSignal, on } from "solid-js";
import { TEST_OFFICER_ROLES, canLookUpPeople, canRecordRapidResults } from "../../access";
import { ApiError } from "../../api";
import ErrorBanner from "../../components/ErrorBanner";
import Field, { describedBy } from "../../components/Field";
import Flash, { createFlash } from "../../components/Flash";
import Spinner from "../../components/Spinner";
import { t } from "../../i18n";
import { session } from "../../session";
import { PERSON_FIELDS, PERSON_PATHS, createPersonPicker } from "../tracing/PersonPicker";
import { fieldErrorsByPath } from "../tracing/tracing.data";
import VenueScanner from "../VenueScanner";
import { formatTime, todayInVietnam } from "../venues.data";
import LabelButton from "./LabelButton";
import TestingNav from "./TestingNav";
import TestPersonFields from "./TestPersonFields";
import {
  RESULT_LIST,
  createPool,
  createSample,
  getPool,
  getTestSite,
  listLabs,
  listMyTestSites,
  listPools,
  recordSampleResult,
  removeFromPool,
  sealPool,
  type PoolDetail,
  type Sample,
  type SampleWho,
  type TestResult,
  type TestSite,
} from "./testing.api";
import { createSampleList, errorText, inMyLanguage, resultClass, resultLabel, sampleStatusLabel, statusClass, testTypeLabel, testingError } from "./testing.data";
import "../tracing/tracing.css";
import "./testing.css";

type Params = { site?: string; pool?: string };
const LAB_KEY = "php.portal.testLab";

export default function DeskPage() {
  const me = () => session.user()!;
  const [params] = useSearchParams<Params>();
  const staff = () => me().role === "site_staff";
  // Staff: the sites they work at (one goes straight in); officers come from a site's page (?site=).
  const [mine, { refetch: refetchMine }] = createResource(
    () => staff() && !params.site,
    () => listMyTestSites().then((r) => r.items.filter((s) => s.status === "active")),
  );
  const siteId = () => params.site ?? (mine()?.length === 1 ? mine()![0]!.id : null);
  const [site, { refetch: refetchSite }] = createResource(siteId, (id) => getTestSite(id));

  return (
    <section class="page test-desk-page" data-testid="test-desk-page">
      <TestingNav />
      <Switch
        fallback={
          <div class="page-loading">
            <Spinner label={t("common.loading")} />
          </div>
        }
      >
        <Match when={site.error}>
          <ErrorBanner error={testingError(site.error)} onRetry={() => void refetchSite()} />
        </Match>
        <Match when={mine.error}>
          <ErrorBanner error={mine.error} onRetry={() => void refetchMine()} />
        </Match>
        <Match when={site()}>{(s) => <DeskBody site={s()} />}</Match>
        <Match when={!siteId() && !staff()}>
          <div class="card narrow" data-testid="test-desk-pick-site">
            <h1>{t("test.desk.title")}</h1>
            <p class="muted">{t("test.desk.officerHint")}</p>
            <A href="/testing/campaigns" class="btn">
              {t("test.nav.campaigns")}
            </A>
          </div>
        </Match>
        <Match when={mine() && mine()!.length === 0}>
          <div class="card narrow" data-testid="test-desk-no-site">
            <h1>{t("test.desk.title")}</h1>
            <p class="muted">{t("test.desk.noSite")}</p>
          </div>
        </Match>
        <Match when={mine() && mine()!.length > 1}>
          <SitePicker sites={mine()!} />
        </Match>
      </Switch>
    </section>
  );
}

function SitePicker(props: { sites: TestSite[] }) {
  return (
    <div class="card" data-testid="test-desk-sites">
      <h1>{t("test.desk.chooseSite")}</h1>
      <ul class="quick-links">
        <For each={props.sites}>
          {(s) => (
            <li>
              <A href={`/testing/desk?site=${encodeURIComponent(s.id)}`} class="quick-link" data-testid="test-desk-site" data-site-id={s.id}>
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
    </div>
  );
}

function DeskBody(props: { site: TestSite }) {
  const me = () => session.user()!;
  const [params, setParams] = useSearchParams<Params>();
  const s = () => props.site;
  const pooling = () => s().testType === "pcr";
  const today = todayInVietnam();
  const flash = createFlash(8000);

  // The open pools of the site (newest first); the current one is the address's, else the newest.
  const [openPools, { refetch: refetchPools }] = createResource(
    () => pooling() && s().id,
    (id) => listPools({ siteId: id, status: "open", limit: 20 }).then((r) => r.items),
  );
  const currentId = () => {
    const items = openPools() ?? [];
    return items.find((p) => p.id === params.pool)?.id ?? items[0]?.id ?? null;
  };
  const [pool, { refetch: refetchPool, mutate: setPool }] = createResource(currentId, (id) => getPool(id));
  const current = () => (currentId() ? (pool.latest ?? null) : null);
  const room = () => {
    const p = current();
    return !!p && p.status === "open" && p.size < p.maxSize;
  };

  // The day's samples at the site.
  const filters = createMemo(() => ({ siteId: s().id, day: today }));
  const samples = createSampleList(filters, 20);
  const [last, setLast] = createSignal<{ sample: Sample; name: string | null } | null>(null);

  const [creatingPool, setCreatingPool] = createSignal(false);
  const [poolError, setPoolError] = createSignal<unknown>(null);
  const newPool = async () => {
    setCreatingPool(true);
    setPoolError(null);
    try {
      const created = await createPool(s().id);
      setParams({ pool: created.id }, { replace: true });
      await refetchPools();
      flash.show(t("test.desk.poolOpened", { code: created.code }));
    } catch (error) {
      setPoolError(testingError(error));
    } finally {
      setCreatingPool(false);
    }
  };

  const afterSample = async (sample: Sample, name: string | null) => {
    setLast({ sample, name });
    flash.show(t("test.desk.taken", { barcode: sample.barcode, name: name ?? "" }).trim());
    samples.reload();
    if (pooling()) await refetchPool();
  };

  return (
    <>
      <header class="page-head">
        <div>
          <h1 data-testid="test-desk-title">{s().name}</h1>
          <p class="muted" data-testid="test-desk-campaign">
            {s().campaignName} · {testTypeLabel(s().testType)}
            <Show when={pooling() && s().poolSize > 1}> · {t("test.campaign.poolOf", { n: s().poolSize })}</Show>
          </p>
        </div>
        <div class="head-actions">
          <A href={`/testing/retests?site=${encodeURIComponent(s().id)}`} class="btn btn-small" data-testid="test-desk-retests">
            {t("test.nav.retests")}
          </A>
          <Show when={TEST_OFFICER_ROLES.includes(me().role)}>
            <A href={`/testing/sites/${encodeURIComponent(s().id)}`} class="btn btn-small btn-ghost">
              {t("test.site.details")}
            </A>
          </Show>
        </div>
      </header>
      <Flash message={flash.message()} />

      <div class="test-desk">
        <Show when={pooling()}>
          <section class="card test-pool-card" aria-labelledby="test-pool-title" data-testid="test-desk-pool">
            <div class="section-head">
              <h2 id="test-pool-title">{t("test.desk.pool")}</h2>
              <button type="button" class="btn btn-small" disabled={creatingPool()} onClick={() => void newPool()} data-testid="test-pool-new">
                {creatingPool() ? t("common.saving") : t("test.desk.newPool")}
              </button>
            </div>
            <ErrorBanner error={poolError()} onDismiss={() => setPoolError(null)} testId="test-pool-error" />
            <Show when={(openPools()?.length ?? 0) > 1}>
              <Field id="test-pool-switch" label={t("test.desk.openPools")}>
                <select id="test-pool-switch" value={currentId() ?? ""} onChange={(e) => setParams({ pool: e.currentTarget.value }, { replace: true })} data-testid="test-pool-switch">
                  <For each={openPools() ?? []}>
                    {(p) => (
                      <option value={p.id}>
                        {p.code} ({p.size}/{p.maxSize})
                      </option>
                    )}
                  </For>
                </select>
              </Field>
            </Show>
            <Switch>
              <Match when={openPools.error || pool.error}>
                <ErrorBanner
                  error={openPools.error ?? pool.error}
                  onRetry={() => {
                    void refetchPools();
                    void refetchPool();
                  }}
                />
              </Match>
              <Match when={openPools.loading && !openPools.latest}>
                <Spinner label={t("common.loading")} />
              </Match>
              <Match when={!currentId()}>
                <p class="muted" data-testid="test-pool-none">
                  {t("test.desk.noOpenPool")}
                </p>
              </Match>
              <Match when={current()}>
                {(p) => (
                  <PoolPanel
                    pool={p()}
                    onChanged={(next) => setPool(next)}
                    onRefresh={() => void refetchPool()}
                    onSealed={(code, lab) => {
                      flash.show(t("test.desk.sealed", { code, lab }));
                      setParams({ pool: undefined }, { replace: true });
                      void refetchPools();
                      samples.reload();
                    }}
                  />
                )}
              </Match>
            </Switch>
          </section>
        </Show>

        <section class="card" aria-labelledby="test-take-title" data-testid="test-desk-take">
          <h2 id="test-take-title">{t("test.desk.take")}</h2>
          <Show
            when={!pooling() || room()}
            fallback={
              <p class="banner banner-info" data-testid="test-take-blocked">
                {current() ? t("test.desk.poolFullHint") : t("test.desk.needPool")}
              </p>
            }
          >
            <TakeSample site={s()} poolId={pooling() ? currentId() : null} poolCode={current()?.code ?? null} onTaken={(sample, name) => void afterSample(sample, name)} />
          </Show>
          <Show when={last()}>
            {(l) => (
              <div class="test-last" data-testid="test-last-sample" data-barcode={l().sample.barcode}>
                <div>
                  <span class="muted small">{t("test.desk.lastSample")}</span>
                  <strong class="test-code" data-testid="test-last-barcode">
                    {l().sample.barcode}
                  </strong>
                  <Show when={l().name}>
                    <span class="sub">{l().name}</span>
                  </Show>
                </div>
                <LabelButton kind="sample" id={l().sample.id} code={l().sample.barcode} testId="test-last-label" />
              </div>
            )}
          </Show>
        </section>

        <DaySamples site={s()} list={samples} />
      </div>
    </>
  );
}

/** The current pool: its code, how full it is, its members (removable while open), its label, and sealing it. */
function PoolPanel(props: { pool: PoolDetail; onChanged: (p: PoolDetail) => void; onRefresh: () => void; onSealed: (code: string, lab: string) => void }) {
  const p = () => props.pool;
  const [busy, setBusy] = createSignal<string | null>(null);
  const [failure, setFailure] = createSignal<unknown>(null);
  const [sealing, setSealing] = createSignal(false);
  const pct = () => Math.min(100, (p().size / Math.max(1, p().maxSize)) * 100);

  const remove = async (sampleId: string, name: string) => {
    if (!window.confirm(t("test.desk.removeConfirm", { name, code: p().code }))) return;
    setBusy(sampleId);
    setFailure(null);
    try {
      await removeFromPool(p().id, sampleId);
      props.onChanged({ ...p(), size: p().size - 1, members: p().members.filter((m) => m.sampleId !== sampleId) });
      props.onRefresh();
    } catch (error) {
      setFailure(testingError(error));
    } finally {
      setBusy(null);
    }
  };

  return (
    <div class="test-pool" data-testid="test-pool" data-pool-id={p().id} data-pool-code={p().code} data-size={p().size} data-max={p().maxSize}>
      <div class="test-pool-head">
        <div>
          <span class="muted small">{t("test.pool.code")}</span>
          <strong class="test-code test-code-big" data-testid="test-pool-code">
            {p().code}
          </strong>
        </div>
        <div class="test-pool-size" data-testid="test-pool-size">
          <strong>
            {p().size}/{p().maxSize}
          </strong>
          <span class="muted small">{t("test.pool.samples")}</span>
        </div>
      </div>
      <span class="test-meter" role="meter" aria-valuemin={0} aria-valuemax={p().maxSize} aria-valuenow={p().size} aria-label={t("test.pool.fill")}>
        <span class="test-meter-fill" classList={{ full: p().size >= p().maxSize }} style={{ width: `${pct()}%` }} />
      </span>
      <ErrorBanner error={failure()} onDismiss={() => setFailure(null)} />
      <Show when={p().members.length > 0} fallback={<p class="muted small">{t("test.pool.empty")}</p>}>
        <ol class="test-members" data-testid="test-pool-members">
          <For each={p().members}>
            {(m) => (
              <li class="test-member" data-testid="test-pool-member" data-sample-id={m.sampleId} data-person-id={m.personId}>
                <div>
                  <strong>{m.fullName}</strong>
                  <span class="sub muted">
                    {m.birthYear ?? "–"} · <code>{m.barcode}</code>
                  </span>
                </div>
                <div class="test-row-actions">
                  <LabelButton kind="sample" id={m.sampleId} code={m.barcode} testId="test-member-label" label={t("test.label.short")} />
                  <Show when={p().status === "open"}>
                    <button
                      type="button"
                      class="btn btn-small btn-danger-ghost"
                      disabled={busy() === m.sampleId}
                      onClick={() => void remove(m.sampleId, m.fullName)}
                      data-testid="test-member-remove"
                    >
                      {t("common.remove")}
                    </button>
                  </Show>
                </div>
              </li>
            )}
          </For>
        </ol>
      </Show>
      <div class="test-pool-actions">
        <LabelButton kind="pool" id={p().id} code={p().code} testId="test-pool-label" label={t("test.pool.label")} />
        <Show when={!sealing()}>
          <button type="button" class="btn btn-primary" disabled={p().size === 0} onClick={() => setSealing(true)} data-testid="test-pool-seal-open">
            {t("test.pool.seal")}
          </button>
        </Show>
      </div>
      <Show when={sealing()}>
        <SealForm pool={p()} onCancel={() => setSealing(false)} onSealed={props.onSealed} />
      </Show>
    </div>
  );
}

function rememberedLab(): string {
  try {
    return localStorage.getItem(LAB_KEY) ?? "";
  } catch {
    return "";
  }
}

/** Pick the lab (the last one used, or the only one) and seal the pool to it. */
function SealForm(props: { pool: PoolDetail; onCancel: () => void; onSealed: (code: string, lab: string) => void }) {
  const [labs, { refetch }] = createResource(() => listLabs({ limit: 100 }).then((r) => r.items.filter((l) => l.active && l.provinceCode === props.pool.provinceCode)));
  const [labId, setLabId] = createSignal("");
  const [error, setError] = createSignal<string | undefined>();
  const [failure, setFailure] = createSignal<unknown>(null);
  const [saving, setSaving] = createSignal(false);
  createEffect(
    on(labs, (items) => {
      if (!items || labId()) return;
      const remembered = rememberedLab();
      setLabId(items.find((l) => l.id === remembered)?.id ?? (items.length === 1 ? items[0]!.id : ""));
    }),
  );

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    if (!labId()) {
      setError(t("common.requiredSelect"));
      return;
    }
    setSaving(true);
    setFailure(null);
    try {
      const sealed = await sealPool(props.pool.id, labId());
      try {
        localStorage.setItem(LAB_KEY, labId());
      } catch {
        // Private mode: nothing to remember.
      }
      props.onSealed(sealed.code, sealed.labName ?? labs()?.find((l) => l.id === labId())?.name ?? "");
    } catch (err) {
      setFailure(testingError(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form class="form test-seal" onSubmit={submit} noValidate data-testid="test-seal-form">
      <ErrorBanner error={failure()} testId="test-seal-error" />
      <Show when={labs.error}>
        <ErrorBanner error={labs.error} onRetry={() => void refetch()} />
      </Show>
      <Field id="test-seal-lab" label={t("test.pool.lab")} error={error()} required hint={t("test.pool.sealHint", { n: props.pool.size })}>
        <select
          id="test-seal-lab"
          value={labId()}
          onChange={(e) => {
            setLabId(e.currentTarget.value);
            setError(undefined);
          }}
          aria-invalid={error() ? "true" : undefined}
          aria-describedby={describedBy("test-seal-lab", error(), true)}
          data-testid="test-seal-lab"
        >
          <option value="">{labs.loading ? t("common.loading") : t("test.pool.chooseLab")}</option>
          <For each={labs() ?? []}>
            {(l) => (
              <option value={l.id} selected={l.id === labId()}>
                {l.name}
              </option>
            )}
          </For>
        </select>
      </Field>
      <div class="form-actions">
        <button type="button" class="btn btn-ghost" onClick={() => props.onCancel()}>
          {t("common.cancel")}
        </button>
        <button type="submit" class="btn btn-primary" disabled={saving()} aria-busy={saving()} data-testid="test-seal-submit">
          {saving() ? t("common.saving") : t("test.pool.sealSubmit")}
        </button>
      </div>
    </form>
  );
}

/** Scan a personal QR, or find or type the person in; the sample goes into the current pool. */
function TakeSample(props: { site: TestSite; poolId: string | null; poolCode: string | null; onTaken: (sample: Sample, name: string | null) => void }) {
  const me = () => session.user()!;
  const [mode, setMode] = createSignal<"type" | "scan">("type");
  const picker = createPersonPicker(me());
  picker.setProvinceCode(props.site.provinceCode);
  picker.setCommuneCode(props.site.communeCode);
  const [failure, setFailure] = createSignal<unknown>(null);
  const [saving, setSaving] = createSignal(false);

  const send = async (who: SampleWho, name: string | null): Promise<boolean> => {
    setSaving(true);
    setFailure(null);
    try {
      const sample = await createSample({ siteId: props.site.id, ...who, ...(props.poolId ? { poolId: props.poolId } : {}) });
      props.onTaken(sample, name);
      return true;
    } catch (error) {
      const byPath = fieldErrorsByPath(error);
      const personErrors: Record<string, string> = {};
      for (const p of PERSON_PATHS) if (byPath[p]) personErrors[p] = inMyLanguage(byPath[p]);
      picker.setErrors(personErrors);
      const shown = Object.keys(personErrors).length;
      setFailure(shown > 0 && error instanceof ApiError && error.details.length <= shown ? null : testingError(error));
      return false;
    } finally {
      setSaving(false);
    }
  };

  const reset = () => {
    picker.setPicked(null);
    picker.setPhone("");
    picker.setFullName("");
    picker.setNewPhone("");
    picker.setBirthYear("");
    picker.setErrors({});
    picker.setCommuneCode(props.site.communeCode);
  };

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setFailure(null);
    if (!picker.validate()) {
      document.querySelector<HTMLElement>("[aria-invalid='true']")?.focus();
      return;
    }
    const who = picker.ref();
    const name = "personId" in who ? (picker.picked()?.fullName ?? null) : who.person.fullName;
    if (await send(who, name)) reset();
  };

  return (
    <div class="test-take">
      <div class="tabs" role="tablist" aria-label={t("test.desk.take")}>
        <button type="button" role="tab" class="tab" aria-selected={mode() === "type"} onClick={() => setMode("type")} data-testid="test-take-tab-type">
          {t("test.desk.typeIn")}
        </button>
        <button type="button" role="tab" class="tab" aria-selected={mode() === "scan"} onClick={() => setMode("scan")} data-testid="test-take-tab-scan">
          {t("test.desk.scanQr")}
        </button>
      </div>
      <ErrorBanner error={failure()} onDismiss={() => setFailure(null)} handledFields={PERSON_FIELDS} testId="test-take-error" />
      <Show when={props.poolCode}>
        <p class="small muted" data-testid="test-take-into">
          {t("test.desk.into", { code: props.poolCode! })}
        </p>
      </Show>
      <Switch>
        <Match when={mode() === "type"}>
          <form class="form" onSubmit={submit} noValidate data-testid="test-take-form">
            <TestPersonFields picker={picker} canLookUp={canLookUpPeople(me().role)} />
            <div class="form-actions">
              <button type="submit" class="btn btn-primary btn-block" disabled={saving()} aria-busy={saving()} data-testid="test-take-submit">
                {saving() ? t("common.saving") : t("test.desk.takeSubmit")}
              </button>
            </div>
          </form>
        </Match>
        <Match when={mode() === "scan"}>
          <p class="small muted">{t("test.desk.scanHint")}</p>
          <VenueScanner onCode={(text) => send({ healthQr: text.trim() }, null)} />
        </Match>
      </Switch>
    </div>
  );
}

/** The samples taken at the site today; a rapid test's result is read and recorded here. */
function DaySamples(props: { site: TestSite; list: ReturnType<typeof createSampleList> }) {
  const me = () => session.user()!;
  const rapid = () => props.site.testType === "rapid_antigen";
  const canRecord = () => rapid() && canRecordRapidResults(me().role);
  const [busy, setBusy] = createSignal<string | null>(null);
  const [failure, setFailure] = createSignal<string | null>(null);

  const record = async (sample: Sample, result: TestResult) => {
    if (result === "positive" && !window.confirm(t("test.desk.positiveConfirm", { barcode: sample.barcode }))) return;
    setBusy(sample.id);
    setFailure(null);
    try {
      const answer = await recordSampleResult(sample.id, result);
      props.list.update((items) => items.map((x) => (x.id === sample.id ? { ...x, ...answer.sample } : x)));
    } catch (error) {
      setFailure(errorText(error));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section class="card" aria-labelledby="test-day-title" data-testid="test-desk-day">
      <div class="section-head">
        <h2 id="test-day-title">{t("test.desk.today")}</h2>
        <A href={`/testing/samples?site=${encodeURIComponent(props.site.id)}`} class="small">
          {t("test.desk.allSamples")}
        </A>
      </div>
      <Show when={failure()}>
        <p class="field-error" role="alert" data-testid="test-day-error">
          {failure()}
        </p>
      </Show>
      <Show when={props.list.items().length > 0} fallback={<p class="muted small">{props.list.loading() ? t("common.loading") : t("test.desk.noneToday")}</p>}>
        <ul class="test-rows">
          <For each={props.list.items()}>
            {(x) => (
              <li class="test-row" data-testid="test-day-sample" data-barcode={x.barcode} data-status={x.status}>
                <div>
                  <A href={`/testing/samples/${encodeURIComponent(x.id)}`} class="venue-link">
                    <code>{x.barcode}</code>
                  </A>
                  <span class="sub muted">
                    {formatTime(x.takenAt)}
                    <Show when={x.fullName}> · {x.fullName}</Show>
                    <Show when={x.poolCode}> · {t("test.pool.short", { code: x.poolCode! })}</Show>
                  </span>
                </div>
                <div class="test-row-actions">
                  <Show
                    when={canRecord() && !x.result}
                    fallback={
                      <span class={statusClass(x.status)} data-testid="test-day-status">
                        {sampleStatusLabel(x.status)}
                      </span>
                    }
                  >
                    <For each={RESULT_LIST}>
                      {(r) => (
                        <button type="button" class={`btn btn-small ${resultClass(r)}`} disabled={busy() === x.id} onClick={() => void record(x, r)} data-testid={`test-day-result-${r}`}>
                          {resultLabel(r)}
                        </button>
                      )}
                    </For>
                  </Show>
                </div>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={props.list.hasMore()}>
        <button type="button" class="btn btn-small btn-ghost" onClick={() => props.list.loadMore()}>
          {t("common.loadMore")}
        </button>
      </Show>
    </section>
  );
}
