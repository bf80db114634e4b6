/**
 * Who the sample is from, at the desk: find the person, or type a new one in. The pattern of the
 * vaccination desk's PersonFields (the same createPersonPicker state, so the request part is
 * `personId` or `person`), in the words of testing: a phone number searches the registry
 * (GET /api/people/lookup), part of a name finds the people already tested at the caller's sites
 * (GET /api/test-samples?q=), which covers the retest or the next round at the same site.
 */
import { For, Match, Show, Switch, createSignal } from "solid-js";
import { areaLabel, ensureAreaNames } from "../../adminUnits";
import ErrorBanner from "../../components/ErrorBanner";
import Field, { describedBy } from "../../components/Field";
import Spinner from "../../components/Spinner";
import { CommuneSelect } from "../../components/UnitSelect";
import { t } from "../../i18n";
import type { PersonPickerState } from "../tracing/PersonPicker";
import { lookupPeople, type PersonSummary } from "../tracing/tracing.api";
import { Input } from "../vaccination/form";
import { normalisePhone } from "../venues.data";
import { listSamples } from "./testing.api";
import { formatVnDateTime, sampleStatusLabel } from "./testing.data";

/** A person found, with what tells them apart: where they live, or their last sample here. */
type Found = PersonSummary & { note: () => string };

async function testedHere(q: string): Promise<Found[]> {
  const page = await listSamples({ q, limit: 50 });
  const seen = new Map<string, Found>();
  for (const s of page.items)
    if (!seen.has(s.personId))
      seen.set(s.personId, {
        id: s.personId,
        fullName: s.fullName,
        phone: null,
        birthYear: s.birthYear,
        // Where they live is not in a sample list; the note says where they were tested instead.
        provinceCode: "",
        communeCode: null,
        note: () => `${s.siteName} · ${formatVnDateTime(s.takenAt)} · ${sampleStatusLabel(s.status)}`,
      });
  return [...seen.values()];
}

async function inRegistry(phone: string): Promise<Found[]> {
  const { items } = await lookupPeople(phone);
  return items.map((p) => {
    ensureAreaNames(p.provinceCode, p.communeCode);
    return { ...p, note: () => areaLabel(p.provinceCode, p.communeCode) };
  });
}

export default function TestPersonFields(props: { picker: PersonPickerState; canLookUp: boolean }) {
  const p = () => props.picker;
  const err = (path: string) => p().errors()[path];
  const mode = () => p().mode();
  const [results, setResults] = createSignal<Found[] | null>(null);
  const [searching, setSearching] = createSignal(false);
  const [lookupError, setLookupError] = createSignal<unknown>(null);
  let latest = 0;

  const lookup = async () => {
    const text = p().phone().trim();
    const phone = normalisePhone(text);
    const query = phone ?? (text.length >= 2 ? text : null);
    if (!query) {
      p().setErrors({ ...p().errors(), lookupPhone: t("test.person.queryInvalid") });
      return;
    }
    p().clearError("lookupPhone");
    const mine = ++latest;
    setSearching(true);
    setLookupError(null);
    try {
      const found = phone && props.canLookUp ? await inRegistry(phone) : await testedHere(query);
      if (mine !== latest) return;
      setResults(found);
      if (found.length === 0 && phone) p().setNewPhone(phone);
    } catch (error) {
      if (mine === latest) setLookupError(error);
    } finally {
      if (mine === latest) setSearching(false);
    }
  };

  return (
    <fieldset class="fieldset form" data-testid="test-person">
      <legend>{t("test.person.legend")}</legend>
      <div class="tabs" role="tablist">
        <button type="button" role="tab" class="tab" aria-selected={mode() === "lookup"} onClick={() => p().setMode("lookup")} data-testid="test-person-mode-lookup">
          {t("test.person.findTab")}
        </button>
        <button type="button" role="tab" class="tab" aria-selected={mode() === "new"} onClick={() => p().typeNew()} data-testid="test-person-mode-new">
          {t("tracing.person.newTab")}
        </button>
      </div>
      <Switch>
        <Match when={mode() === "lookup"}>
          <Field id="test-person-lookup-phone" label={t("test.person.query")} error={err("lookupPhone") ?? err("personId")} hint={t("test.person.lookupHint")}>
            <div class="input-row">
              <input
                id="test-person-lookup-phone"
                type="search"
                inputmode="text"
                autocomplete="off"
                value={p().phone()}
                onInput={(e) => {
                  p().setPhone(e.currentTarget.value);
                  p().clearError("lookupPhone");
                }}
                onKeyDown={(e) => {
                  if (e.key === "Enter") {
                    e.preventDefault();
                    void lookup();
                  }
                }}
                aria-invalid={err("lookupPhone") || err("personId") ? "true" : undefined}
                aria-describedby={describedBy("test-person-lookup-phone", err("lookupPhone") ?? err("personId"), true)}
                data-testid="test-person-lookup-phone"
              />
              <button type="button" class="btn" disabled={searching()} onClick={() => void lookup()} data-testid="test-person-lookup">
                <Show when={searching()} fallback={t("tracing.person.lookup")}>
                  <Spinner inline label={t("common.loading")} />
                </Show>
              </button>
            </div>
          </Field>
          <ErrorBanner error={lookupError()} onDismiss={() => setLookupError(null)} />
          <Show when={results()}>
            {(items) => (
              <Show
                when={items().length > 0}
                fallback={
                  <p class="muted" data-testid="test-person-none">
                    {t("test.person.noneFound")}{" "}
                    <button type="button" class="link-btn" onClick={() => p().typeNew()}>
                      {t("tracing.person.newTab")}
                    </button>
                  </p>
                }
              >
                <ul class="person-results">
                  <For each={items()}>
                    {(person) => {
                      const picked = () => p().picked()?.id === person.id;
                      return (
                        <li class="person-result" classList={{ picked: picked() }} data-testid="test-person-result" data-person-id={person.id}>
                          <div>
                            <strong>{person.fullName}</strong>
                            <span class="sub">
                              {person.phone ?? "–"} · {person.birthYear ?? "–"} · {person.note()}
                            </span>
                          </div>
                          <button
                            type="button"
                            class="btn btn-small"
                            classList={{ "btn-primary": picked() }}
                            aria-pressed={picked()}
                            onClick={() => {
                              const { note: _, ...summary } = person;
                              p().setPicked(picked() ? null : summary);
                              p().clearError("personId");
                            }}
                            data-testid="test-person-pick"
                          >
                            {picked() ? t("tracing.person.picked") : t("tracing.person.pick")}
                          </button>
                        </li>
                      );
                    }}
                  </For>
                </ul>
              </Show>
            )}
          </Show>
        </Match>
        <Match when={mode() === "new"}>
          <p class="small muted">{t("test.person.newHint")}</p>
          <div class="form form-grid">
            <Input
              id="test-person-fullName"
              label={t("tracing.person.fullName")}
              value={p().fullName()}
              maxLength={120}
              required
              class="span-2"
              error={err("person.fullName")}
              onInput={(v) => {
                p().setFullName(v);
                p().clearError("person.fullName");
              }}
            />
            <Input
              id="test-person-phone"
              type="tel"
              inputmode="tel"
              label={t("tracing.person.phone")}
              value={p().newPhone()}
              required
              error={err("person.phone")}
              onInput={(v) => {
                p().setNewPhone(v);
                p().clearError("person.phone");
              }}
            />
            <Input
              id="test-person-birthYear"
              type="number"
              inputmode="numeric"
              min={1900}
              max={new Date().getFullYear()}
              label={t("tracing.person.birthYear")}
              value={p().birthYear()}
              required
              error={err("person.birthYear")}
              onInput={(v) => {
                p().setBirthYear(v);
                p().clearError("person.birthYear");
              }}
            />
            <Field id="test-person-communeCode" label={t("tracing.person.commune")} error={err("person.communeCode")} required class="span-2">
              <CommuneSelect
                id="test-person-communeCode"
                provinceCode={p().provinceCode()}
                value={p().communeCode()}
                emptyLabel={t("area.chooseCommune")}
                invalid={!!err("person.communeCode")}
                describedBy={describedBy("test-person-communeCode", err("person.communeCode"))}
                testId="test-person-communeCode"
                onChange={(code) => {
                  p().setCommuneCode(code);
                  p().clearError("person.communeCode");
                }}
              />
            </Field>
          </div>
        </Match>
      </Switch>
    </fieldset>
  );
}
