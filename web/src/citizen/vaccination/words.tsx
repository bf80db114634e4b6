/** The vaccination errors a citizen can meet, said in the app's language. */
import { Show } from "solid-js";
import { lang, t, type Key } from "../i18n";
import { ApiError } from "../session";
import { explain } from "../ui";

const OWN: Record<string, Key> = {
  slot_full: "err.slot_full",
  no_doses: "err.no_doses",
  appointment_cancelled: "err.appointment_cancelled",
};

/** The half of a server message "Tiếng Việt / English" in the app's language. */
const half = (m: string) => {
  const i = m.indexOf(" / ");
  return i > 0 ? (lang() === "vi" ? m.slice(0, i) : m.slice(i + 3)) : m;
};

export function explainVax(e: unknown): string {
  if (typeof e === "string") return e;
  if (!(e instanceof ApiError)) return explain(e);
  if (OWN[e.code]) return t(OWN[e.code]!);
  // The dose rules (422) and conflicts (409) say what to do in their message and details.
  if (e.status === 409 || e.status === 422 || (e.code === "validation_failed" && e.details.some((d) => d.path === "slotId"))) {
    const words = [e.code === "validation_failed" ? "" : half(e.message), ...e.details.map((d) => half(d.messageVi && lang() === "vi" ? d.messageVi : d.message))].filter(Boolean);
    if (words.length) return words.join(" ");
  }
  return explain(e);
}

/** An error box like ui.tsx's Alert, with this module's words (and the code for tests). */
export function VaxAlert(props: { error: unknown; testId?: string }) {
  return (
    <Show when={props.error}>
      <p class="alert" role="alert" data-testid={props.testId ?? "vax-error"} data-code={props.error instanceof ApiError ? props.error.code : undefined}>
        {explainVax(props.error)}
      </p>
    </Show>
  );
}
