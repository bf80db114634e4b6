/**
 * The parts every filtered list page repeats: the filter bar (with "clear filters" while any is
 * set), and the table of a keyset list with its loading, empty and "load more" states. Pages
 * give the columns and render each row (`<tr>` with `<td data-label>` for the phone cards).
 * Test ids: `<testId>-filters`, `<testId>-table`, `<testId>-empty`, `<testId>-load-more`.
 */
import { For, Show, type JSX } from "solid-js";
import { t } from "../i18n";
import type { KeysetList } from "../pagination";
import LoadMore from "./LoadMore";
import Spinner from "./Spinner";

export function FilterBar(props: { testId: string; active: boolean; onClear: () => void; class?: string; children: JSX.Element }) {
  return (
    <form class={`toolbar ${props.class ?? ""}`} role="search" onSubmit={(e) => e.preventDefault()} data-testid={`${props.testId}-filters`}>
      {props.children}
      <Show when={props.active}>
        <button type="button" class="btn btn-ghost btn-small toolbar-clear" onClick={() => props.onClear()} data-testid={`${props.testId}-clear`}>
          {t("common.clearFilters")}
        </button>
      </Show>
    </form>
  );
}

/** A labelled control of a filter bar. */
export function FilterField(props: { id: string; label: string; grow?: boolean; hideLabel?: boolean; children: JSX.Element }) {
  return (
    <div class="toolbar-field" classList={{ grow: !!props.grow }}>
      <label for={props.id} classList={{ "sr-only": !!props.hideLabel }}>
        {props.label}
      </label>
      {props.children}
    </div>
  );
}

export interface Column {
  label: string;
  /** "num" right-aligns a count. */
  class?: string;
}

export function ListTable<T>(props: {
  list: KeysetList<T>;
  testId: string;
  columns: readonly Column[];
  /** What to say when the list is empty without filters ("No sites yet."). */
  emptyText: string;
  filtersActive: boolean;
  onClearFilters: () => void;
  tableClass?: string;
  children: (item: T, index: () => number) => JSX.Element;
}) {
  const list = () => props.list;
  return (
    <>
      <div class="table-wrap" classList={{ stale: list().loading() && !list().loaded() }} aria-busy={list().loading()}>
        <table class={`data-table cards-on-phone ${props.tableClass ?? ""}`} data-testid={`${props.testId}-table`}>
          <thead>
            <tr>
              <For each={props.columns}>
                {(c) => (
                  <th scope="col" class={c.class}>
                    {c.label}
                  </th>
                )}
              </For>
            </tr>
          </thead>
          <tbody>
            <For each={list().items()}>{(item, i) => props.children(item, i)}</For>
          </tbody>
        </table>
        <Show when={list().loading() && list().items().length === 0}>
          <div class="table-empty">
            <Spinner label={t("common.loading")} />
          </div>
        </Show>
        <Show when={list().loaded() && list().items().length === 0}>
          <div class="table-empty muted" data-testid={`${props.testId}-empty`}>
            <p>{props.filtersActive ? t("common.empty") : props.emptyText}</p>
            <Show when={props.filtersActive}>
              <button type="button" class="btn btn-small" onClick={() => props.onClearFilters()}>
                {t("common.clearFilters")}
              </button>
            </Show>
          </div>
        </Show>
      </div>
      <LoadMore list={list()} testId={`${props.testId}-load-more`} />
    </>
  );
}
