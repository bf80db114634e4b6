export default function Spinner(props: { label?: string; inline?: boolean }) {
  return (
    <span class="spinner-wrap" classList={{ inline: !!props.inline }} role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      {props.label && <span class="spinner-label">{props.label}</span>}
    </span>
  );
}
