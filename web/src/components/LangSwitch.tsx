import { For } from "solid-js";
import { locale, setLocale, t, type Locale } from "../i18n";

const LOCALES: { value: Locale; short: string; label: "lang.vi" | "lang.en" }[] = [
  { value: "vi", short: "VI", label: "lang.vi" },
  { value: "en", short: "EN", label: "lang.en" },
];

export default function LangSwitch() {
  return (
    <div class="lang-switch" role="group" aria-label={t("lang.label")} data-testid="lang-switch">
      <For each={LOCALES}>
        {(l) => (
          <button
            type="button"
            lang={l.value}
            class="lang-btn"
            aria-pressed={locale() === l.value}
            title={t(l.label)}
            data-testid={`lang-${l.value}`}
            onClick={() => setLocale(l.value)}
          >
            {l.short}
          </button>
        )}
      </For>
    </div>
  );
}
