/**
 * Who is vaccinated, on the dose form: find the person, or type a new one in. A phone number searches
 * the whole registry (GET /api/people/lookup, for officers and site staff alike), so a walk-in who
 * is already known is not typed in twice; part of a name finds the people vaccinated at the
 * caller's sites or area (GET /api/vaccinations?q=), which covers the second dose at the same site. The state is the tracing pages' createPersonPicker, so the
 * request part (`personId` or `person`) is built the same way.
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
import { formatDay, normalisePhone } from "../venues.data";
import { Input } from "./form";
import { listDoses } from "./vaccination.api";
import { doseLabel } from "./vaccination.data";

/** A person found, with what tells them apart: where they live, or their last dose here. */
type Found = PersonSummary & { note: () => string };

/** People vaccinated at the caller's sites whose name or phone matches, one entry per person (newest dose first). */
async function vaccinatedHere(q: string): Promise<Found[]> {
  const page = await listDoses({ q, limit: 50 });
  const seen = new Map<string, Found>();
  for (const d of page.items)
    if (!seen.has(d.personId))
      seen.set(d.personId, {
        id: d.personId,
        fullName: d.personName,
        phone: null,
        birthYear: d.birthYear,
        provinceCode: d.provinceCode,
        communeCode: d.communeCode,
        note: () => `${doseLabel(d.doseNumber)} ${d.productCode} · ${formatDay(d.givenOn)}`,
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

export default function PersonFields(props: { picker: PersonPickerState; canLookUp: boolean }) {
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
    // A phone searches the registry (when the role may); part of a name, the doses given here.
    const query = phone ?? (text.length >= 2 ? text : null);
    if (!query) {
      p().setErrors({ ...p().errors(), lookupPhone: t("vacc.person.queryInvalid") });
      return;
    }
    p().clearError("lookupPhone");
    const mine = ++latest;
    setSearching(true);
    setLookupError(null);
    try {
      const found = phone && props.canLookUp ? await inRegistry(phone) : await vaccinatedHere(query);
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
    <fieldset class="fieldset form" data-testid="vacc-person">
      <legend>{t("vacc.person.legend")}</legend>
      <div class="tabs" role="tablist">
        <button type="button" role="tab" class="tab" aria-selected={mode() === "lookup"} onClick={() => p().setMode("lookup")} data-testid="vacc-person-mode-lookup">
          {t("vacc.person.findTab")}
        </button>
        <button type="button" role="tab" class="tab" aria-selected={mode() === "new"} onClick={() => p().typeNew()} data-testid="vacc-person-mode-new">
          {t("tracing.person.newTab")}
        </button>
      </div>
      <Switch>
        <Match when={mode() === "lookup"}>
          <Field
            id="vacc-person-lookup-phone"
            label={t("vacc.person.query")}
            error={err("lookupPhone") ?? err("personId")}
            hint={props.canLookUp ? t("vacc.person.lookupHint") : t("vacc.person.staffLookupHint")}
          >
            <div class="input-row">
              <input
                id="vacc-person-lookup-phone"
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
                aria-describedby={describedBy("vacc-person-lookup-phone", err("lookupPhone") ?? err("personId"), true)}
                data-testid="vacc-person-lookup-phone"
              />
              <button type="button" class="btn" disabled={searching()} onClick={() => void lookup()} data-testid="vacc-person-lookup">
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
                  <p class="muted" data-testid="vacc-person-none">
                    {t("tracing.person.noneFound")}{" "}
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
                        <li class="person-result" classList={{ picked: picked() }} data-testid="vacc-person-result" data-person-id={person.id}>
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
                            data-testid="vacc-person-pick"
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
          <p class="small muted">{t("vacc.person.newHint")}</p>
          <div class="form form-grid">
            <Input
              id="vacc-person-fullName"
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
              id="vacc-person-phone"
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
              id="vacc-person-birthYear"
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
            <Field id="vacc-person-communeCode" label={t("tracing.person.commune")} error={err("person.communeCode")} required class="span-2">
              <CommuneSelect
                id="vacc-person-communeCode"
                provinceCode={p().provinceCode()}
                value={p().communeCode()}
                emptyLabel={t("area.chooseCommune")}
                invalid={!!err("person.communeCode")}
                describedBy={describedBy("vacc-person-communeCode", err("person.communeCode"))}
                testId="vacc-person-communeCode"
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
