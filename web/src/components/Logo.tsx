export default function Logo(props: { size?: number }) {
  const size = () => props.size ?? 32;
  return (
    <svg class="logo" width={size()} height={size()} viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="8" fill="currentColor" />
      <path d="M13 7h6v6h6v6h-6v6h-6v-6H7v-6h6z" fill="#fff" />
    </svg>
  );
}
