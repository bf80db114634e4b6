import { onCleanup, onMount, type JSX } from "solid-js";
import { t } from "../i18n";

/**
 * A modal on the native <dialog>: focus trapping, Escape and the backdrop come from the browser.
 * Mount it to open it; `onClose` fires on Escape, the × button or a click on the backdrop.
 */
export default function Dialog(props: {
  title: string;
  onClose: () => void;
  children: JSX.Element;
  testId?: string;
}) {
  let ref!: HTMLDialogElement;
  onMount(() => {
    ref.showModal();
    onCleanup(() => ref.open && ref.close());
  });
  return (
    <dialog
      ref={ref}
      class="dialog"
      aria-labelledby="dialog-title"
      data-testid={props.testId}
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
      onClick={(e) => {
        if (e.target === ref) props.onClose();
      }}
    >
      <div class="dialog-inner">
        <header class="dialog-head">
          <h2 id="dialog-title">{props.title}</h2>
          <button type="button" class="icon-btn" aria-label={t("common.close")} onClick={() => props.onClose()}>
            ×
          </button>
        </header>
        {props.children}
      </div>
    </dialog>
  );
}
