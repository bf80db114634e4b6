/** Family members the citizen declares for: list, add, remove. */
import { For, Show, createSignal } from "solid-js";
import { RELATIONS, SEXES, addFamily, removeFamily, type Relation, type Sex } from "./api";
import { t, tx } from "./i18n";
import { family, loadMe, meError, profile, setFamily, setWhose, whose } from "./me";
import { Alert, Choice, Field, UnitPicker, fieldErrors, type Errors } from "./ui";
import { unitName } from "./units";

export function Family() {
  const [open, setOpen] = createSignal(false);
  const [relation, setRelation] = createSignal<Relation>("child");
  const [fullName, setFullName] = createSignal("");
  const [birthYear, setBirthYear] = createSignal("");
  const [sex, setSex] = createSignal<Sex | "">("");
  const [province, setProvince] = createSignal("");
  const [commune, setCommune] = createSignal("");
  const [errors, setErrors] = createSignal<Errors>({});
  const [error, setError] = createSignal<unknown>();
  const [busy, setBusy] = createSignal(false);
  const [added, setAdded] = createSignal("");
  void loadMe();

  function start() {
    setOpen(true);
    setAdded("");
    setFullName("");
    setBirthYear("");
    setSex("");
    setRelation("child");
    setProvince(profile()?.provinceCode ?? "");
    setCommune(profile()?.communeCode ?? "");
    setErrors({});
    setError(undefined);
  }

  async function add(e: Event) {
    e.preventDefault();
    if (busy()) return;
    const local: Errors = {};
    const year = Number(birthYear());
    if (fullName().trim().length < 2) local.fullName = t("required");
    if (!/^\d{4}$/.test(birthYear()) || year < 1900 || year > new Date().getFullYear()) local.birthYear = t("required");
    setErrors(local);
    if (Object.keys(local).length) return;
    setBusy(true);
    setError(undefined);
    try {
      const m = await addFamily({ relation: relation(), fullName: fullName().trim(), birthYear: year, sex: sex() || null, communeCode: commune() || null });
      setFamily([...family(), m]);
      setAdded(m.fullName);
      setOpen(false);
    } catch (err) {
      setErrors(fieldErrors(err));
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function remove(personId: string, name: string) {
    if (!confirm(t("familyRemoveConfirm", { name }))) return;
    setError(undefined);
    try {
      await removeFamily(personId);
      setFamily(family().filter((m) => m.personId !== personId));
      if (whose() === personId) setWhose("");
    } catch (err) {
      setError(err);
    }
  }

  return (
    <div class="page" data-testid="family">
      <h1>{t("familyTitle")}</h1>
      <p class="lead">{t("familyLead")}</p>
      <Alert error={meError()} />
      <Show when={added()}>
        <p class="ok" role="status" data-testid="family-added">
          {t("familyAdded", { name: added() })}
        </p>
      </Show>
      <ul class="cards" data-testid="family-list">
        <For each={family()} fallback={<p class="muted">{t("familyNone")}</p>}>
          {(m) => (
            <li class="card" data-testid="family-member" data-person-id={m.personId}>
              <p class="title">{m.fullName}</p>
              <p class="muted">
                {tx("relation", m.relation)}
                {m.birthYear ? ` · ${m.birthYear}` : ""}
                {m.sex ? ` · ${tx("sex", m.sex)}` : ""}
                {m.communeCode ? ` · ${unitName(m.communeCode, m.provinceCode)}` : ""}
              </p>
              <button type="button" class="btn danger" onClick={() => void remove(m.personId, m.fullName)} data-testid="family-remove">
                {t("remove")}
              </button>
            </li>
          )}
        </For>
      </ul>
      <Alert error={!open() ? error() : undefined} />
      <Show
        when={open()}
        fallback={
          <button type="button" class="btn ghost" onClick={start} data-testid="family-add">
            {t("familyAdd")}
          </button>
        }
      >
        <form onSubmit={add} novalidate data-testid="family-form">
          <h2>{t("familyAdd")}</h2>
          <Field label={t("relation")} error={errors().relation} path="relation">
            {(a) => (
              <select id={a.id} onChange={(e) => setRelation(e.currentTarget.value as Relation)} data-testid="family-relation">
                <For each={RELATIONS}>
                  {(r) => (
                    <option value={r} selected={relation() === r}>
                      {tx("relation", r)}
                    </option>
                  )}
                </For>
              </select>
            )}
          </Field>
          <Field label={t("fullName")} error={errors().fullName} path="fullName">
            {(a) => (
              <input id={a.id} maxlength={120} autocapitalize="words" value={fullName()} onInput={(e) => setFullName(e.currentTarget.value)} aria-invalid={a.invalid} aria-describedby={a.describedBy} data-testid="family-name" />
            )}
          </Field>
          <Field label={t("birthYear")} error={errors().birthYear} path="birthYear">
            {(a) => (
              <input id={a.id} inputmode="numeric" maxlength={4} value={birthYear()} onInput={(e) => setBirthYear(e.currentTarget.value.trim())} aria-invalid={a.invalid} aria-describedby={a.describedBy} data-testid="family-birthyear" />
            )}
          </Field>
          <Choice name="family-sex" legend={t("sex")} options={SEXES} label={(v) => tx("sex", v)} value={sex() as Sex} onChange={setSex} />
          <UnitPicker province={province()} commune={commune()} onProvince={setProvince} onCommune={setCommune} error={errors().communeCode} path="communeCode" testId="family" />
          <Alert error={error()} />
          <button class="btn" type="submit" disabled={busy()} data-testid="family-save">
            {busy() ? t("saving") : t("save")}
          </button>
          <button type="button" class="btn ghost" onClick={() => setOpen(false)}>
            {t("cancel")}
          </button>
        </form>
      </Show>
    </div>
  );
}
