/**
 * Who a case or a hand-added contact is about: look the person up by phone (nationwide, exact
 * match: their check-ins are under that record) and pick one, or type in a new person. The
 * state lives in `createPersonPicker`, owned by the form, which sends `picker.ref()`.
 */
import { For, Match, Show, Switch, createSignal } from "solid-js";
import type { User } from "../../api";
import { lockedArea } from "../../access";
import { areaLabel, ensureAreaNames } from "../../adminUnits";
import ErrorBanner from "../../components/ErrorBanner";
import Field, { describedBy } from "../../components/Field";
import Spinner from "../../components/Spinner";
import { CommuneSelect, ProvinceSelect } from "../../components/UnitSelect";
import { t } from "../../i18n";
import { normalisePhone } from "../venues.data";
import { lookupPeople, type NewCase, type PersonSummary } from "./tracing.api";

type Mode = "lookup" | "new";
export type PersonRefInput = Pick<Extract<NewCase, { personId: string }>, "personId"> | Pick<Extract<NewCase, { person: unknown }>, "person">;

export function createPersonPicker(me: User) {
  const locked = lockedArea(me);
  const [mode, setMode] = createSignal<Mode>("lookup");
  const [phone, setPhone] = createSignal("");
  const [results, setResults] = createSignal<PersonSummary[] | null>(null);
  const [searching, setSearching] = createSignal(false);
  const [lookupError, setLookupError] = createSignal<unknown>(null);
  const [picked, setPicked] = createSignal<PersonSummary | null>(null);
  const [fullName, setFullName] = createSignal("");
  const [newPhone, setNewPhone] = createSignal("");
  const [birthYear, setBirthYear] = createSignal("");
  const [provinceCode, setProvinceCode] = createSignal(locked.provinceCode ?? me.provinceCode ?? "");
  const [communeCode, setCommuneCode] = createSignal(me.role === "commune_officer" ? (me.communeCode ?? "") : "");
  const [errors, setErrors] = createSignal<Record<string, string>>({});

  const clearError = (path: string) => {
    if (errors()[path]) setErrors(({ [path]: _, ...rest }) => rest);
  };

  let latest = 0;
  const lookup = async () => {
    const normalised = normalisePhone(phone());
    if (!normalised) {
      setErrors((e) => ({ ...e, lookupPhone: t("tracing.person.phoneInvalid") }));
      return;
    }
    clearError("lookupPhone");
    const mine = ++latest;
    setSearching(true);
    setLookupError(null);
    try {
      const found = await lookupPeople(normalised);
      if (mine !== latest) return;
      setResults(found.items);
      if (found.items.length === 0) setNewPhone(normalised);
    } catch (err) {
      if (mine === latest) setLookupError(err);
    } finally {
      if (mine === latest) setSearching(false);
    }
  };

  const typeNew = () => {
    setMode("new");
    setPicked(null);
    if (!newPhone()) setNewPhone(normalisePhone(phone()) ?? phone().trim());
    clearError("personId");
  };

  /** Local checks; fills `errors` and answers whether the person part is complete. */
  const validate = (): boolean => {
    const found: Record<string, string> = {};
    if (mode() === "lookup") {
      if (!picked()) found.personId = t("tracing.person.pickOne");
    } else {
      if (fullName().trim().length < 2) found["person.fullName"] = t("common.required");
      if (!normalisePhone(newPhone())) found["person.phone"] = t("tracing.person.phoneInvalid");
      const year = Number(birthYear());
      if (!/^\d{4}$/.test(birthYear().trim()) || year < 1900 || year > new Date().getFullYear()) found["person.birthYear"] = t("tracing.person.birthYearInvalid");
      if (!communeCode()) found["person.communeCode"] = t("common.requiredSelect");
    }
    setErrors(found);
    return Object.keys(found).length === 0;
  };

  const ref = (): PersonRefInput =>
    mode() === "lookup"
      ? { personId: picked()!.id }
      : {
          person: {
            fullName: fullName().trim(),
            phone: normalisePhone(newPhone()) ?? newPhone().trim(),
            birthYear: Number(birthYear()),
            communeCode: communeCode() || null,
          },
        };

  return {
    me,
    locked,
    mode,
    setMode,
    phone,
    setPhone,
    results,
    searching,
    lookupError,
    setLookupError,
    picked,
    setPicked,
    fullName,
    setFullName,
    newPhone,
    setNewPhone,
    birthYear,
    setBirthYear,
    provinceCode,
    setProvinceCode,
    communeCode,
    setCommuneCode,
    errors,
    setErrors,
    clearError,
    lookup,
    typeNew,
    validate,
    ref,
  };
}
export type PersonPickerState = ReturnType<typeof createPersonPicker>;

/** The field names PersonPicker shows errors for (for ErrorBanner's `handledFields`). */
export const PERSON_FIELDS = ["personId", "fullName", "phone", "birthYear", "communeCode"] as const;
export const PERSON_PATHS = ["personId", "person.fullName", "person.phone", "person.birthYear", "person.communeCode"] as const;

export default function PersonPicker(props: { picker: PersonPickerState; idPrefix: string }) {
  const p = () => props.picker;
  const id = (name: string) => `${props.idPrefix}-${name}`;
  const err = (path: string) => p().errors()[path];

  return (
    <fieldset class="fieldset form" data-testid={`${props.idPrefix}-person`}>
      <legend>{t("tracing.person.legend")}</legend>
      <div class="tabs" role="tablist">
        <button
          type="button"
          role="tab"
          class="tab"
          aria-selected={p().mode() === "lookup"}
          data-testid={id("mode-lookup")}
          onClick={() => p().setMode("lookup")}
        >
          {t("tracing.person.lookupTab")}
        </button>
        <button type="button" role="tab" class="tab" aria-selected={p().mode() === "new"} data-testid={id("mode-new")} onClick={() => p().typeNew()}>
          {t("tracing.person.newTab")}
        </button>
      </div>

      <Switch>
        <Match when={p().mode() === "lookup"}>
          <Field id={id("lookup-phone")} label={t("tracing.person.phone")} error={err("lookupPhone") ?? err("personId")} hint={t("tracing.person.lookupHint")}>
            <div class="input-row">
              <input
                id={id("lookup-phone")}
                type="tel"
                inputmode="tel"
                autocomplete="off"
                value={p().phone()}
                onInput={(e) => {
                  p().setPhone(e.currentTarget.value);
                  p().clearError("lookupPhone");
                }}
                onKeyDown={(e) => {
                  if (e.key === "Enter") {
                    e.preventDefault();
                    void p().lookup();
                  }
                }}
                aria-invalid={err("lookupPhone") || err("personId") ? "true" : undefined}
                aria-describedby={describedBy(id("lookup-phone"), err("lookupPhone") ?? err("personId"), true)}
                data-testid={id("lookup-phone")}
              />
              <button type="button" class="btn" disabled={p().searching()} onClick={() => void p().lookup()} data-testid={id("lookup")}>
                <Show when={p().searching()} fallback={t("tracing.person.lookup")}>
                  <Spinner inline label={t("common.loading")} />
                </Show>
              </button>
            </div>
          </Field>
          <ErrorBanner error={p().lookupError()} onDismiss={() => p().setLookupError(null)} />
          <Show when={p().results()}>
            {(items) => (
              <Show
                when={items().length > 0}
                fallback={
                  <p class="muted" data-testid={id("lookup-none")}>
                    {t("tracing.person.noneFound")}{" "}
                    <button type="button" class="link-btn" onClick={() => p().typeNew()}>
                      {t("tracing.person.newTab")}
                    </button>
                  </p>
                }
              >
                <ul class="person-results" data-testid={id("lookup-results")}>
                  <For each={items()}>
                    {(person) => {
                      ensureAreaNames(person.provinceCode, person.communeCode);
                      const isPicked = () => p().picked()?.id === person.id;
                      return (
                        <li class="person-result" classList={{ picked: isPicked() }} data-testid="person-result" data-person-id={person.id}>
                          <div>
                            <strong>{person.fullName}</strong>
                            <span class="sub">
                              {person.phone ?? "–"} · {person.birthYear ?? "–"} · {areaLabel(person.provinceCode, person.communeCode)}
                            </span>
                          </div>
                          <button
                            type="button"
                            class="btn btn-small"
                            classList={{ "btn-primary": isPicked() }}
                            aria-pressed={isPicked()}
                            onClick={() => {
                              p().setPicked(isPicked() ? null : person);
                              p().clearError("personId");
                            }}
                            data-testid="person-pick"
                          >
                            {isPicked() ? t("tracing.person.picked") : t("tracing.person.pick")}
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
        <Match when={p().mode() === "new"}>
          <div class="form form-grid">
            <Field id={id("fullName")} label={t("tracing.person.fullName")} error={err("person.fullName")} required class="span-2">
              <input
                id={id("fullName")}
                value={p().fullName()}
                maxLength={120}
                autocomplete="off"
                onInput={(e) => {
                  p().setFullName(e.currentTarget.value);
                  p().clearError("person.fullName");
                }}
                aria-invalid={err("person.fullName") ? "true" : undefined}
                aria-describedby={describedBy(id("fullName"), err("person.fullName"))}
                data-testid={id("fullName")}
              />
            </Field>
            <Field id={id("phone")} label={t("tracing.person.phone")} error={err("person.phone")} required>
              <input
                id={id("phone")}
                type="tel"
                inputmode="tel"
                autocomplete="off"
                value={p().newPhone()}
                onInput={(e) => {
                  p().setNewPhone(e.currentTarget.value);
                  p().clearError("person.phone");
                }}
                aria-invalid={err("person.phone") ? "true" : undefined}
                aria-describedby={describedBy(id("phone"), err("person.phone"))}
                data-testid={id("phone")}
              />
            </Field>
            <Field id={id("birthYear")} label={t("tracing.person.birthYear")} error={err("person.birthYear")} required>
              <input
                id={id("birthYear")}
                type="number"
                inputmode="numeric"
                min="1900"
                max={new Date().getFullYear()}
                value={p().birthYear()}
                onInput={(e) => {
                  p().setBirthYear(e.currentTarget.value);
                  p().clearError("person.birthYear");
                }}
                aria-invalid={err("person.birthYear") ? "true" : undefined}
                aria-describedby={describedBy(id("birthYear"), err("person.birthYear"))}
                data-testid={id("birthYear")}
              />
            </Field>
            <Field id={id("province")} label={t("area.province")}>
              <ProvinceSelect
                id={id("province")}
                value={p().provinceCode()}
                emptyLabel={t("area.chooseProvince")}
                disabled={!!p().locked.provinceCode}
                testId={id("province")}
                onChange={(code) => {
                  p().setProvinceCode(code);
                  p().setCommuneCode("");
                }}
              />
            </Field>
            <Field id={id("communeCode")} label={t("tracing.person.commune")} error={err("person.communeCode")} required>
              <CommuneSelect
                id={id("communeCode")}
                provinceCode={p().provinceCode()}
                value={p().communeCode()}
                emptyLabel={t("area.chooseCommune")}
                invalid={!!err("person.communeCode")}
                describedBy={describedBy(id("communeCode"), err("person.communeCode"))}
                testId={id("communeCode")}
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
