import { Show } from "solid-js";
import { t } from "../i18n";
import type { KeysetList } from "../pagination";
import ErrorBanner from "./ErrorBanner";
import Spinner from "./Spinner";

/** The foot of a keyset list: count, "load more", the end marker, or the error with a retry. */
export default function LoadMore<T>(props: { list: KeysetList<T>; testId?: string }) {
  const list = () => props.list;
  return (
    <div class="list-foot">
      <Show when={list().error()}>
        <ErrorBanner
          error={list().error()}
          onRetry={() => (list().items().length > 0 && list().loaded() ? list().loadMore() : list().reload())}
        />
      </Show>
      <Show when={list().loaded() && list().items().length > 0}>
        <span class="muted">{t("common.shown", { n: list().items().length })}</span>
      </Show>
      <Show
        when={list().hasMore()}
        fallback={
          <Show when={list().loaded() && list().items().length > 0}>
            <span class="muted">{t("common.end")}</span>
          </Show>
        }
      >
        <button
          type="button"
          class="btn"
          disabled={list().loading()}
          data-testid={props.testId ?? "load-more"}
          onClick={() => list().loadMore()}
        >
          <Show when={list().loading()} fallback={t("common.loadMore")}>
            <Spinner inline label={t("common.loading")} />
          </Show>
        </button>
      </Show>
    </div>
  );
}
