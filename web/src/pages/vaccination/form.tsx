/**
 * Form plumbing the vaccination forms share: one error map per form (local checks, then the
 * server's field messages), and labelled inputs wired to it (Field, aria-invalid, describedby).
 */
import { For, createSignal } from "solid-js";
import { ApiError } from "../../api";
import Field, { describedBy } from "../../components/Field";
import { inMyLanguage } from "./vaccination.data";

export function createErrors<F extends string>() {
  const [errors, setErrors] = createSignal<Partial<Record<F, string>>>({});
  return {
    all: errors,
    get: (f: F) => errors()[f],
    set: (next: Partial<Record<F, string>>) => setErrors(() => next),
    clear: (f: F) => {
      if (errors()[f]) setErrors(({ [f]: _, ...rest }) => rest as Partial<Record<F, string>>);
    },
    any: () => Object.keys(errors()).length > 0,
    /** Focuses the first field with an error (ids are `${prefix}-${field}`). */
    focusFirst: (prefix: string) => {
      const first = Object.keys(errors())[0];
      if (first) document.getElementById(`${prefix}-${first}`)?.focus();
    },
  };
}

/**
 * The field messages of a 400 for the fields a form shows (in the reader's language), and
 * whether the banner is still needed for the rest.
 */
export function serverFieldErrors<F extends string>(error: unknown, fields: readonly F[]): { byField: Partial<Record<F, string>>; rest: boolean } {
  const byField: Partial<Record<F, string>> = {};
  if (!(error instanceof ApiError) || error.status !== 400 || error.details.length === 0) return { byField, rest: true };
  let rest = false;
  for (const d of error.details) {
    const path = d.path
      .split(/[./]/)
      .filter((p) => p && p !== "body")
      .join(".") as F;
    if ((fields as readonly string[]).includes(path)) byField[path] ??= inMyLanguage(d.message);
    else rest = true;
  }
  return { byField, rest };
}

interface InputProps {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  error?: string | undefined;
  hint?: string | undefined;
  required?: boolean;
  class?: string;
  type?: "text" | "number" | "date" | "time" | "tel" | "search";
  inputmode?: "numeric" | "tel" | "text";
  min?: string | number;
  max?: string | number;
  step?: string | number;
  maxLength?: number;
  placeholder?: string;
  testId?: string;
  disabled?: boolean;
}

export function Input(props: InputProps) {
  return (
    <Field id={props.id} label={props.label} error={props.error} hint={props.hint} required={!!props.required} class={props.class ?? ""}>
      <input
        id={props.id}
        type={props.type ?? "text"}
        inputmode={props.inputmode}
        min={props.min}
        max={props.max}
        step={props.step}
        maxLength={props.maxLength}
        placeholder={props.placeholder}
        disabled={props.disabled}
        autocomplete="off"
        value={props.value}
        onInput={(e) => props.onInput(e.currentTarget.value)}
        aria-invalid={props.error ? "true" : undefined}
        aria-required={props.required ? "true" : undefined}
        aria-describedby={describedBy(props.id, props.error, !!props.hint)}
        data-testid={props.testId ?? props.id}
      />
    </Field>
  );
}

export interface Choice {
  value: string;
  label: string;
  disabled?: boolean;
}

export function Select(props: Omit<InputProps, "type" | "inputmode" | "min" | "max" | "step" | "maxLength" | "placeholder"> & { choices: readonly Choice[]; emptyLabel?: string }) {
  return (
    <Field id={props.id} label={props.label} error={props.error} hint={props.hint} required={!!props.required} class={props.class ?? ""}>
      <select
        id={props.id}
        value={props.value}
        disabled={props.disabled}
        onChange={(e) => props.onInput(e.currentTarget.value)}
        aria-invalid={props.error ? "true" : undefined}
        aria-required={props.required ? "true" : undefined}
        aria-describedby={describedBy(props.id, props.error, !!props.hint)}
        data-testid={props.testId ?? props.id}
      >
        {props.emptyLabel !== undefined && (
          <option value="" selected={props.value === ""}>
            {props.emptyLabel}
          </option>
        )}
        <For each={props.choices}>
          {(c) => (
            <option value={c.value} disabled={c.disabled} selected={c.value === props.value}>
              {c.label}
            </option>
          )}
        </For>
      </select>
    </Field>
  );
}

/** A primary submit button that shows a spinner while `busy`. */
export function Submit(props: { busy: boolean; label: string; busyLabel: string; testId: string; class?: string }) {
  return (
    <button type="submit" class={`btn btn-primary ${props.class ?? ""}`} disabled={props.busy} aria-busy={props.busy} data-testid={props.testId}>
      {props.busy ? props.busyLabel : props.label}
    </button>
  );
}
