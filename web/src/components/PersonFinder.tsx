/**
 * Who a form is about: find the person, or type a new one in. A phone number searches the whole
 * registry (GET /api/people/lookup, for the roles that may), so someone already known is not typed
 * in twice; part of a name finds the people served at the caller's own sites (`findHere`: doses
 * given, samples taken), which covers the next dose or the retest at the same place. The state is
 * the tracing pages' createPersonPicker, so the request part (`personId` or `person`) is built the
 * same way. Used by the vaccination dose form and the testing desk, with their own words and test ids.
 */
import { For, Match, Show, Switch, createSignal } from "solid-js";
import { areaLabel, ensureAreaNames } from "../adminUnits";
import { t, type MessageKey } from "../i18n";
import { Input } from "../pages/vaccination/form";
import type { PersonPickerState } from "../pages/tracing/PersonPicker";
import { lookupPeople, type PersonSummary } from "../pages/tracing/tracing.api";
import { normalisePhone } from "../pages/venues.data";
import ErrorBanner from "./ErrorBanner";
import Field, { describedBy } from "./Field";
import Spinner from "./Spinner";
import { CommuneSelect } from "./UnitSelect";

/** A person found, with what tells them apart: where they live, or what was done for them here. */
export type FoundPerson = PersonSummary & { note: () => string };

/** The words of one form (hereHint: the search hint for roles that may not search the registry). */
export interface PersonFinderWords {
  legend: MessageKey;
  findTab: MessageKey;
  query: MessageKey;
  queryInvalid: MessageKey;
  lookupHint: MessageKey;
  hereHint: MessageKey;
  noneFound: MessageKey;
  newHint: MessageKey;
}

export interface PersonFinderProps {
  picker: PersonPickerState;
  canLookUp: boolean;
  /** Prefix of the fields' ids and test ids, e.g. "vacc-person". */
  prefix: string;
  words: PersonFinderWords;
  findHere: (q: string) => Promise<FoundPerson[]>;
}

async function inRegistry(phone: string): Promise<FoundPerson[]> {
  const { items } = await lookupPeople(phone);
  return items.map((p) => {
    ensureAreaNames(p.provinceCode, p.communeCode);
    return { ...p, note: () => areaLabel(p.provinceCode, p.communeCode) };
  });
}

export default function PersonFinder(props: PersonFinderProps) {
  const p = () => props.picker;
  const err = (path: string) => p().errors()[path];
  const mode = () => p().mode();
  const [results, setResults] = createSignal<FoundPerson[] | null>(null);
  const [searching, setSearching] = createSignal(false);
  const [lookupError, setLookupError] = createSignal<unknown>(null);
  let latest = 0;

  const lookup = async () => {
    const text = p().phone().trim();
    const phone = normalisePhone(text);
    // A phone searches the registry (when the role may); part of a name, the people served here.
    const query = phone ?? (text.length >= 2 ? text : null);
    if (!query) {
      p().setErrors({ ...p().errors(), lookupPhone: t(props.words.queryInvalid) });
      return;
    }
    p().clearError("lookupPhone");
    const mine = ++latest;
    setSearching(true);
    setLookupError(null);
    try {
      const found = phone && props.canLookUp ? await inRegistry(phone) : await props.findHere(query);
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
    <fieldset class="fieldset form" data-testid={props.prefix}>
      <legend>{t(props.words.legend)}</legend>
      <div class="tabs" role="tablist">
        <button type="button" role="tab" class="tab" aria-selected={mode() === "lookup"} onClick={() => p().setMode("lookup")} data-testid={`${props.prefix}-mode-lookup`}>
          {t(props.words.findTab)}
        </button>
        <button type="button" role="tab" class="tab" aria-selected={mode() === "new"} onClick={() => p().typeNew()} data-testid={`${props.prefix}-mode-new`}>
          {t("tracing.person.newTab")}
        </button>
      </div>
      <Switch>
        <Match when={mode() === "lookup"}>
          <Field
            id={`${props.prefix}-lookup-phone`}
            label={t(props.words.query)}
            error={err("lookupPhone") ?? err("personId")}
            hint={t(props.canLookUp ? props.words.lookupHint : props.words.hereHint)}
          >
            <div class="input-row">
              <input
                id={`${props.prefix}-lookup-phone`}
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
                aria-describedby={describedBy(`${props.prefix}-lookup-phone`, err("lookupPhone") ?? err("personId"), true)}
                data-testid={`${props.prefix}-lookup-phone`}
              />
              <button type="button" class="btn" disabled={searching()} onClick={() => void lookup()} data-testid={`${props.prefix}-lookup`}>
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
                  <p class="muted" data-testid={`${props.prefix}-none`}>
                    {t(props.words.noneFound)}{" "}
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
                        <li class="person-result" classList={{ picked: picked() }} data-testid={`${props.prefix}-result`} data-person-id={person.id}>
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
                            data-testid={`${props.prefix}-pick`}
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
          <p class="small muted">{t(props.words.newHint)}</p>
          <div class="form form-grid">
            <Input
              id={`${props.prefix}-fullName`}
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
              id={`${props.prefix}-phone`}
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
              id={`${props.prefix}-birthYear`}
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
            <Field id={`${props.prefix}-communeCode`} label={t("tracing.person.commune")} error={err("person.communeCode")} required class="span-2">
              <CommuneSelect
                id={`${props.prefix}-communeCode`}
                provinceCode={p().provinceCode()}
                value={p().communeCode()}
                emptyLabel={t("area.chooseCommune")}
                invalid={!!err("person.communeCode")}
                describedBy={describedBy(`${props.prefix}-communeCode`, err("person.communeCode"))}
                testId={`${props.prefix}-communeCode`}
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
