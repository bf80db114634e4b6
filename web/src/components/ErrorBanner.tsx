import { For, Show } from "solid-js";
import { ApiError } from "../api";
import { errorMessage, fieldName } from "../errors";
import { t } from "../i18n";

/**
 * An error as the user should see it: the message, the request id to quote to support, and the
 * validation details no form field shows (`handledFields` lists the ones that do).
 */
export default function ErrorBanner(props: {
  error: unknown;
  handledFields?: readonly string[];
  onRetry?: () => void;
  onDismiss?: () => void;
  testId?: string;
}) {
  const apiError = () => (props.error instanceof ApiError ? props.error : null);
  const loose = () =>
    (apiError()?.details ?? []).filter((d) => !(props.handledFields ?? []).includes(fieldName(d.path)));
  return (
    <Show when={props.error}>
      <div class="banner banner-error" role="alert" data-testid={props.testId ?? "error-banner"}>
        <svg class="banner-icon" viewBox="0 0 24 24" aria-hidden="true">
          <path d="M12 2 1 21h22L12 2zm0 5 7.5 12h-15L12 7zm-1 4v4h2v-4h-2zm0 5v2h2v-2h-2z" fill="currentColor" />
        </svg>
        <div class="banner-body">
          <p class="banner-message" data-testid="error-message">
            {errorMessage(props.error)}
          </p>
          <Show when={loose().length > 0}>
            <ul class="banner-details">
              <For each={loose()}>
                {(d) => (
                  <li>
                    <Show when={d.path}>
                      <code>{d.path}</code>:{" "}
                    </Show>
                    {d.message}
                  </li>
                )}
              </For>
            </ul>
          </Show>
          <Show when={apiError()?.requestId}>
            <p class="banner-meta">
              {t("error.requestId")}: <code>{apiError()?.requestId}</code>
            </p>
          </Show>
        </div>
        <div class="banner-actions">
          <Show when={props.onRetry}>
            <button type="button" class="btn btn-small" onClick={() => props.onRetry?.()}>
              {t("common.retry")}
            </button>
          </Show>
          <Show when={props.onDismiss}>
            <button
              type="button"
              class="icon-btn"
              aria-label={t("error.dismiss")}
              title={t("error.dismiss")}
              onClick={() => props.onDismiss?.()}
            >
              ×
            </button>
          </Show>
        </div>
      </div>
    </Show>
  );
}
