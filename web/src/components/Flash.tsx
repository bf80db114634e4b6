import { Show, createSignal, onCleanup } from "solid-js";

/** A short-lived success message ("Account created."), announced politely to screen readers. */
export function createFlash(ms = 5000) {
  const [message, setMessage] = createSignal<string | null>(null);
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));
  const show = (text: string) => {
    clearTimeout(timer);
    setMessage(text);
    timer = setTimeout(() => setMessage(null), ms);
  };
  return { message, show, clear: () => setMessage(null) };
}

export default function Flash(props: { message: string | null }) {
  return (
    <div class="flash-slot" aria-live="polite">
      <Show when={props.message}>
        <div class="banner banner-success" data-testid="flash">
          <svg class="banner-icon" viewBox="0 0 24 24" aria-hidden="true">
            <path d="M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4z" fill="currentColor" />
          </svg>
          <p class="banner-message">{props.message}</p>
        </div>
      </Show>
    </div>
  );
}
