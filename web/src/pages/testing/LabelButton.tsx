/** A "print label" button: downloads the PDF label of a sample or a pool; a failure shows under it. */
import { Show, createSignal } from "solid-js";
import Spinner from "../../components/Spinner";
import { t } from "../../i18n";
import { printLabel } from "./labels";
import { errorText } from "./testing.data";

export default function LabelButton(props: { kind: "sample" | "pool"; id: string; code: string; testId?: string; class?: string; label?: string }) {
  const [busy, setBusy] = createSignal(false);
  const [failed, setFailed] = createSignal<string | null>(null);
  const print = async () => {
    setBusy(true);
    setFailed(null);
    try {
      await printLabel(props.kind, props.id, props.code);
    } catch (error) {
      setFailed(errorText(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <span class="test-label-btn">
      <button type="button" class={`btn btn-small ${props.class ?? ""}`} disabled={busy()} aria-busy={busy()} onClick={() => void print()} data-testid={props.testId ?? `test-${props.kind}-label`}>
        <Show when={busy()} fallback={props.label ?? t("test.label.print")}>
          <Spinner inline label={t("test.label.printing")} />
        </Show>
      </button>
      <Show when={failed()}>
        <span class="field-error" role="alert">
          {failed()}
        </span>
      </Show>
    </span>
  );
}
