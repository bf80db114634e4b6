import { Show, type JSX } from "solid-js";

/**
 * A labelled form control with its hint and its error. The control itself is the child; give
 * it `id={props.id}` and `aria-describedby={describedBy(id, error)}` so screen readers read both.
 */
export default function Field(props: {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: string | undefined;
  required?: boolean;
  class?: string;
  children: JSX.Element;
}) {
  return (
    <div class={`field ${props.class ?? ""}`} classList={{ invalid: !!props.error }}>
      <label for={props.id}>
        {props.label}
        <Show when={props.required}>
          <span class="req" aria-hidden="true">
            {" "}
            *
          </span>
        </Show>
      </label>
      {props.children}
      <Show when={props.hint && !props.error}>
        <p class="field-hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      </Show>
      <Show when={props.error}>
        <p class="field-error" id={`${props.id}-error`} data-testid={`${props.id}-error`}>
          {props.error}
        </p>
      </Show>
    </div>
  );
}

/** The `aria-describedby` value matching what Field renders. */
export function describedBy(id: string, error: string | undefined, hint?: boolean): string | undefined {
  if (error) return `${id}-error`;
  return hint ? `${id}-hint` : undefined;
}
