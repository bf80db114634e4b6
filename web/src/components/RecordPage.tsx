/**
 * The frame of a page about one record (a case, a contact, a declaration, a report): loads it by
 * the id in the address (the previous load is cancelled when the id changes), and shows a
 * spinner, a "not found" card (also for ids outside the user's area), an error with retry, or
 * the record. Test ids: `<name>-page`, `<name>-back`, `<name>-not-found`.
 */
import { A, useParams } from "@solidjs/router";
import { Match, Switch, createEffect, createSignal, on, onCleanup, type Accessor, type JSX } from "solid-js";
import { ApiError } from "../api";
import { t } from "../i18n";
import ErrorBanner from "./ErrorBanner";
import Spinner from "./Spinner";

/** 400 (not an id), 403 and 404 all mean: nothing here for this user. */
export const isNotFound = (error: unknown): boolean => error instanceof ApiError && [400, 403, 404].includes(error.status);

export default function RecordPage<T>(props: {
  name: string;
  load: (id: string, signal: AbortSignal) => Promise<T>;
  backHref: string;
  backLabel: string;
  notFoundTitle: string;
  notFoundBody: string;
  /** The record (an accessor: it changes when the page saves it), and a setter for pages that change it. */
  children: (record: Accessor<T>, set: (record: T) => void) => JSX.Element;
}) {
  const params = useParams<{ id: string }>();
  const [record, setRecord] = createSignal<T | null>(null);
  const [loadError, setLoadError] = createSignal<unknown>(null);
  let controller: AbortController | null = null;

  const load = () => {
    controller?.abort();
    const mine = new AbortController();
    controller = mine;
    setLoadError(null);
    props
      .load(params.id, mine.signal)
      .then((r) => !mine.signal.aborted && setRecord(() => r))
      .catch((err: unknown) => !mine.signal.aborted && setLoadError(err));
  };
  createEffect(
    on(
      () => params.id,
      () => {
        setRecord(null);
        load();
      },
    ),
  );
  onCleanup(() => controller?.abort());
  const set = (r: T) => setRecord(() => r);

  return (
    <section class="page" data-testid={`${props.name}-page`}>
      <A href={props.backHref} class="back-link" data-testid={`${props.name}-back`}>
        ‹ {props.backLabel}
      </A>
      <Switch>
        <Match when={record()}>{(r) => props.children(r, set)}</Match>
        <Match when={isNotFound(loadError())}>
          <div class="card narrow" data-testid={`${props.name}-not-found`}>
            <h1>{props.notFoundTitle}</h1>
            <p class="muted">{props.notFoundBody}</p>
          </div>
        </Match>
        <Match when={loadError()}>
          <ErrorBanner error={loadError()} onRetry={load} />
        </Match>
        <Match when={true}>
          <div class="page-loading">
            <Spinner label={t("common.loading")} />
          </div>
        </Match>
      </Switch>
    </section>
  );
}

/** One row of a facts list (`<dl>`). */
export function Fact(props: { label: string; testId?: string; children: JSX.Element }) {
  return (
    <div>
      <dt>{props.label}</dt>
      <dd data-testid={props.testId}>{props.children}</dd>
    </div>
  );
}
