/** Small pieces every screen uses: fields with their errors, error boxes, the unit pickers. */
import { For, Show, createEffect, createSignal, on, type JSX } from "solid-js";
import { lang, t, type Key } from "./i18n";
import { BASE, linkClick } from "./router";
import { ApiError, type Issue } from "./session";
import { communes, provinces, type Unit } from "./units";

/** "3 phút" / "45 giây" from seconds. */
export function duration(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  const vi = lang() === "vi";
  if (s < 90) return vi ? `${s} giây` : `${s} seconds`;
  const m = Math.ceil(s / 60);
  return vi ? `${m} phút` : `${m} minutes`;
}

/** A person can read this: the error in the app's language. */
export function explain(e: unknown): string {
  if (!(e instanceof ApiError)) return t("unknownError");
  switch (e.code) {
    case "network":
      return t("network");
    case "unauthorized":
      return t("sessionOver");
    case "rate_limited":
      return e.retryAfter ? t("rateLimited", { t: duration(e.retryAfter) }) : t("rateLimitedShort");
    case "validation_failed":
      return e.details.length ? t("checkFields") : e.message || t("checkFields");
    case "not_found":
      return t("notFound");
  }
  if (e.status >= 500) return t("unknownError");
  return e.message || t("unknownError");
}

/** Field errors of a 400 by path, in the app's language (messageVi when Vietnamese). */
export type Errors = Record<string, string>;
export function fieldErrors(e: unknown): Errors {
  const out: Errors = {};
  if (e instanceof ApiError) for (const d of e.details) out[d.path] ??= issueText(d);
  return out;
}
/** A field message: `messageVi` when given, else the server's "Tiếng Việt / English" halves. */
function issueText(d: Issue): string {
  const vi = lang() === "vi";
  if (d.messageVi) return vi ? d.messageVi : d.message;
  const i = d.message.indexOf(" / ");
  return i > 0 ? (vi ? d.message.slice(0, i) : d.message.slice(i + 3)) : d.message;
}

export function Alert(props: { error: unknown; testId?: string }) {
  return (
    <Show when={props.error}>
      <p class="alert" role="alert" data-testid={props.testId ?? "error"} data-code={props.error instanceof ApiError ? props.error.code : undefined}>
        {typeof props.error === "string" ? props.error : explain(props.error)}
      </p>
    </Show>
  );
}

let ids = 0;
/** A labelled control; `error` (or the hint) is tied to it with aria-describedby. */
export function Field(props: { label: string; error?: string | undefined; hint?: string | undefined; path?: string; children: (a: { id: string; describedBy: string | undefined; invalid: "true" | undefined }) => JSX.Element }) {
  const id = `f${++ids}`;
  return (
    <div class="field" data-field={props.path}>
      <label for={id}>{props.label}</label>
      {props.children({
        id,
        get describedBy() {
          return props.error || props.hint ? `${id}-note` : undefined;
        },
        get invalid() {
          return props.error ? "true" : undefined;
        },
      })}
      <Show when={props.error} fallback={<Show when={props.hint}><p class="hint" id={`${id}-note`}>{props.hint}</p></Show>}>
        <p class="field-error" id={`${id}-note`} data-testid={props.path ? `error-${props.path}` : undefined}>
          {props.error}
        </p>
      </Show>
    </div>
  );
}

/** An in-app link. */
export function A(props: { href: string; class?: string; testId?: string; children: JSX.Element; current?: boolean }) {
  return (
    <a href={BASE + (props.href === "/" ? "" : props.href)} class={props.class} data-testid={props.testId} onClick={linkClick} aria-current={props.current ? "page" : undefined}>
      {props.children}
    </a>
  );
}

/** Radio buttons drawn as big tiles. */
export function Choice<T extends string>(props: { name: string; legend: string; options: readonly T[]; label: (v: T) => string; value: T; onChange: (v: T) => void; testId?: string; error?: string | undefined }) {
  return (
    <fieldset data-testid={props.testId}>
      <legend>{props.legend}</legend>
      <div class="seg">
        <For each={props.options}>
          {(o) => (
            <label class="check">
              <input type="radio" name={props.name} value={o} checked={props.value === o} onChange={() => props.onChange(o)} data-testid={props.testId ? `${props.testId}-${o}` : undefined} />
              {props.label(o)}
            </label>
          )}
        </For>
      </div>
      <Show when={props.error}>
        <p class="field-error">{props.error}</p>
      </Show>
    </fieldset>
  );
}

/** Province then commune, from GET /api/admin-units. */
export function UnitPicker(props: {
  province: string;
  commune: string;
  onProvince: (code: string) => void;
  onCommune: (code: string) => void;
  communeLabel?: string;
  error?: string | undefined;
  path?: string;
  testId?: string;
}) {
  const [provs, setProvs] = createSignal<Unit[]>([]);
  const [comms, setComms] = createSignal<Unit[]>([]);
  const [failed, setFailed] = createSignal(false);
  provinces().then(setProvs, () => setFailed(true));
  createEffect(
    on(
      () => props.province,
      (p) => {
        setComms([]);
        if (p) communes(p).then((list) => props.province === p && setComms(list), () => setFailed(true));
      },
    ),
  );
  const options = (list: Unit[], value: string, empty: Key) => (
    <>
      <option value="" selected={!value}>
        {t(empty)}
      </option>
      <Show when={value && !list.some((u) => u.code === value)}>
        <option value={value} selected>
          {value}
        </option>
      </Show>
      <For each={list}>
        {(u) => (
          <option value={u.code} selected={u.code === value}>
            {u.name}
          </option>
        )}
      </For>
    </>
  );
  return (
    <>
      <Field label={t("province")}>
        {(a) => (
          <select
            id={a.id}
            data-testid={`${props.testId ?? "unit"}-province`}
            data-loaded={provs().length > 0 ? "true" : "false"}
            onChange={(e) => {
              props.onProvince(e.currentTarget.value);
              props.onCommune("");
            }}
          >
            {options(provs(), props.province, "chooseProvince")}
          </select>
        )}
      </Field>
      <Field label={props.communeLabel ?? t("commune")} error={props.error ?? (failed() ? t("network") : undefined)} path={props.path}>
        {(a) => (
          <select
            id={a.id}
            data-testid={`${props.testId ?? "unit"}-commune`}
            data-loaded={comms().length > 0 ? "true" : "false"}
            aria-invalid={a.invalid}
            aria-describedby={a.describedBy}
            disabled={!props.province}
            onChange={(e) => props.onCommune(e.currentTarget.value)}
          >
            {options(comms(), props.commune, "chooseCommune")}
          </select>
        )}
      </Field>
    </>
  );
}

/** Vietnam time helpers (UTC+7 all year). */
const pad = (n: number) => String(n).padStart(2, "0");
const vn = (iso: string | number) => new Date(new Date(iso).getTime() + 7 * 3600_000);
export const timeVN = (iso: string | number) => {
  const d = vn(iso);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
};
export const dateVN = (iso: string | number) => {
  const m = typeof iso === "string" ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso) : null;
  if (m) return `${m[3]}/${m[2]}/${m[1]}`;
  const d = vn(iso);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
};
export const todayVN = () => vn(Date.now()).toISOString().slice(0, 10);
