/** My declarations (own and family's) and my exposure notices. */
import { For, Show, createSignal } from "solid-js";
import { myDeclarations, myExposures, type Exposure, type MyDeclaration } from "./api";
import { t, tx } from "./i18n";
import { loadMe, personName } from "./me";
import { A, Alert, dateVN, timeVN, todayVN } from "./ui";

export function Declarations() {
  const [items, setItems] = createSignal<MyDeclaration[]>([]);
  const [next, setNext] = createSignal<string | null>(null);
  const [loaded, setLoaded] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>();
  void loadMe();

  async function more(cursor: string | null) {
    setBusy(true);
    setError(undefined);
    try {
      const page = await myDeclarations(cursor);
      setItems([...(cursor ? items() : []), ...page.items]);
      setNext(page.nextCursor);
      setLoaded(true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  void more(null);

  return (
    <div class="page" data-testid="declarations">
      <h1>{t("myDeclarations")}</h1>
      <Alert error={error()} />
      <Show when={loaded()} fallback={<p class="spin">{t("loading")}</p>}>
        <ul class="cards">
          <For each={items()} fallback={<p class="muted">{t("declarationsNone")}</p>}>
            {(d) => (
              <li class="card" data-testid="declaration" data-id={d.id} data-risk={d.risk}>
                <p class="title">
                  {tx("kind", d.kind)} · {dateVN(d.createdAt)} {timeVN(d.createdAt)}
                </p>
                <p>{personName(d.personId) || d.fullName}</p>
                <p>
                  <span class={`pill ${d.risk}`}>{tx("risk", d.risk)}</span>
                </p>
                <Show when={d.riskReasons.length > 0}>
                  <p class="muted">{d.riskReasons.map((r) => tx("reason", r)).join(" · ")}</p>
                </Show>
                <Show when={d.symptoms.length > 0}>
                  <p class="muted">{d.symptoms.map((s) => tx("symptom", s)).join(", ")}</p>
                </Show>
                <Show when={d.travel}>{(tr) => <p class="muted">{`${tx("means", tr().means)}: ${tr().from} → ${tr().to}`}</p>}</Show>
                <Show when={d.entry}>{(en) => <p class="muted">{`${en().departureCountry} → ${en().portOfEntry}, ${dateVN(en().entryDate)}`}</p>}</Show>
                <Show when={d.venue}>{(v) => <p class="muted">{v().name}</p>}</Show>
              </li>
            )}
          </For>
        </ul>
        <Show when={next()}>
          <button type="button" class="btn ghost" disabled={busy()} onClick={() => void more(next())}>
            {busy() ? t("loading") : t("loadMore")}
          </button>
        </Show>
      </Show>
      <A href="/declare" class="btn">
        {t("declareNow")}
      </A>
    </div>
  );
}

const isOpen = (n: Exposure) => n.status !== "released" && n.status !== "became_f0" && n.quarantineUntil.slice(0, 10) >= todayVN();
const clock = (s: string) => (/^\d{2}:\d{2}/.test(s) ? s.slice(0, 5) : timeVN(s));

export function Exposures() {
  const [items, setItems] = createSignal<Exposure[]>();
  const [error, setError] = createSignal<unknown>();
  void loadMe();
  myExposures().then((r) => setItems(r.items), setError);

  return (
    <div class="page" data-testid="exposures">
      <h1>{t("noticesTitle")}</h1>
      <Alert error={error()} />
      <Show when={items()} fallback={<Show when={!error()}><p class="spin">{t("loading")}</p></Show>}>
        <ul class="cards">
          <For each={items()} fallback={<p class="ok" data-testid="exposures-none">{t("noticesNone")}</p>}>
            {(n) => (
              <li class={`card ${isOpen(n) ? "alert" : ""}`} data-testid="exposure" data-open={isOpen(n) ? "true" : "false"}>
                <Show when={personName(n.personId)}>
                  <p class="title">{personName(n.personId)}</p>
                </Show>
                <Show
                  when={n.venue}
                  fallback={<p>{t("noticeContact", { level: `F${n.degree}`, until: dateVN(n.quarantineUntil) })}</p>}
                >
                  {(v) => (
                    <>
                      <p>{t("noticeText", { venue: v().name, day: dateVN(n.day), from: clock(n.from), to: clock(n.to) })}</p>
                      <p class="muted">{v().address}</p>
                    </>
                  )}
                </Show>
                <p>{isOpen(n) ? t("noticeTodo", { until: dateVN(n.quarantineUntil) }) : t("noticeEnded")}</p>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </div>
  );
}
