/** The tests' words: statuses in plain language with their colour, errors in the app's language. */
import { Show } from "solid-js";
import { t, tx } from "../i18n";
import { ApiError } from "../session";
import { dateVN, explain, timeVN } from "../ui";
import type { SampleStatus } from "./api";

/** The colour of a status: green negative, red positive, yellow "go and test again", grey waiting. */
export function tone(status: SampleStatus): "green" | "red" | "yellow" | "" {
  if (status === "negative") return "green";
  if (status === "positive") return "red";
  if (status === "retest_needed" || status === "invalid") return "yellow";
  return "";
}

/** "09:30 12/05/2026" of an instant, in Vietnam's time. */
export const whenVN = (iso: string) => `${timeVN(iso)} ${dateVN(iso)}`;

export const statusWord = (status: string) => tx("tstStatus", status);
export const adviceWord = (status: string) => tx("tstAdvice", status);
export const typeWord = (type: string) => tx("tstType", type);

export function explainTest(e: unknown): string {
  if (e instanceof ApiError && e.code === "no_tests") return t("err.no_tests");
  return explain(e);
}

export function TestAlert(props: { error: unknown; testId?: string }) {
  return (
    <Show when={props.error}>
      <p class="alert" role="alert" data-testid={props.testId ?? "tst-error"} data-code={props.error instanceof ApiError ? props.error.code : undefined}>
        {explainTest(props.error)}
      </p>
    </Show>
  );
}
