/**
 * A keyset-paginated list: the first page loads whenever the filters change, "load more"
 * follows `nextCursor`. Answers to superseded filters are dropped, so typing fast in a search
 * box never shows the rows of an older query.
 */
import { createEffect, createSignal, on, onCleanup, type Accessor } from "solid-js";
import type { Page } from "./api";

export interface KeysetList<T> {
  items: Accessor<T[]>;
  loading: Accessor<boolean>;
  error: Accessor<unknown>;
  hasMore: Accessor<boolean>;
  /** True once the first page of the current filters has arrived; until then `items` are stale. */
  loaded: Accessor<boolean>;
  loadMore: () => void;
  reload: () => void;
  /** Edits the loaded rows in place (after a create or an update), without refetching. */
  update: (fn: (items: T[]) => T[]) => void;
}

export function createKeysetList<T, F>(
  filters: Accessor<F>,
  fetchPage: (filters: F, cursor: string | null, signal: AbortSignal) => Promise<Page<T>>,
): KeysetList<T> {
  const [items, setItems] = createSignal<T[]>([]);
  const [cursor, setCursor] = createSignal<string | null>(null);
  const [loading, setLoading] = createSignal(false);
  const [loaded, setLoaded] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);
  let controller: AbortController | null = null;

  async function fetchInto(first: boolean) {
    controller?.abort();
    const mine = new AbortController();
    controller = mine;
    setLoading(true);
    setError(null);
    try {
      const page = await fetchPage(filters(), first ? null : cursor(), mine.signal);
      if (mine.signal.aborted) return;
      setItems((prev) => (first ? page.items : [...prev, ...page.items]));
      setCursor(page.nextCursor);
      setLoaded(true);
    } catch (err) {
      if (mine.signal.aborted) return;
      setError(err);
    } finally {
      if (controller === mine) {
        setLoading(false);
        controller = null;
      }
    }
  }

  // The rows of the previous filters stay on screen (dimmed by the page) until the new ones arrive.
  const reload = () => {
    setLoaded(false);
    setCursor(null);
    void fetchInto(true);
  };

  createEffect(on(filters, reload));
  onCleanup(() => controller?.abort());

  return {
    items,
    loading,
    error,
    loaded,
    hasMore: () => cursor() !== null,
    loadMore: () => {
      if (!loading() && cursor() !== null) void fetchInto(false);
    },
    reload,
    update: (fn) => setItems(fn),
  };
}

/** `source`, but only after it has stopped changing for `ms` (for search boxes). */
export function createDebounced<T>(source: Accessor<T>, ms: number): Accessor<T> {
  const [value, setValue] = createSignal<T>(source());
  let timer: ReturnType<typeof setTimeout> | undefined;
  createEffect(
    on(
      source,
      (next) => {
        clearTimeout(timer);
        timer = setTimeout(() => setValue(() => next), ms);
      },
      { defer: true },
    ),
  );
  onCleanup(() => clearTimeout(timer));
  return value;
}
