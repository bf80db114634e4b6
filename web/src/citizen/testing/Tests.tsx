/**
 * The tests screen: for the citizen and each family member with a sample, the status now (their
 * latest sample's) in plain words and colour with what to do, the button to the certificate of
 * their latest final result, and every sample: the test, when it was taken, where, its status.
 */
import { For, Show, createMemo, createSignal } from "solid-js";
import { t } from "../i18n";
import { loadMe, profile } from "../me";
import { A } from "../ui";
import { FINAL, myTests, sampleLink, type MyTest } from "./api";
import { TestAlert, adviceWord, statusWord, tone, typeWord, whenVN } from "./words";

interface PersonTests {
  personId: string;
  fullName: string;
  samples: MyTest[];
}

export function Tests() {
  const [items, setItems] = createSignal<MyTest[]>();
  const [error, setError] = createSignal<unknown>();
  void loadMe();
  myTests().then(
    (r) => setItems(r.items),
    (e: unknown) => {
      setError(e);
      setItems([]);
    },
  );

  // By person, the account's own first, then in the order of their latest sample.
  const people = createMemo<PersonTests[]>(() => {
    const groups = new Map<string, PersonTests>();
    for (const s of items() ?? []) {
      let g = groups.get(s.personId);
      if (!g) groups.set(s.personId, (g = { personId: s.personId, fullName: s.fullName, samples: [] }));
      g.samples.push(s);
    }
    const me = profile()?.personId;
    return [...groups.values()].sort((a, b) => (a.personId === me ? -1 : b.personId === me ? 1 : 0));
  });

  return (
    <div class="page" data-testid="tests">
      <h1>{t("tstTitle")}</h1>
      <p class="lead">{t("tstLead")}</p>
      <TestAlert error={error()} />
      <Show when={items()} fallback={<p class="spin">{t("loading")}</p>}>
        <Show when={people().length > 0} fallback={<Show when={!error()}><p class="muted" data-testid="tests-none">{t("tstNone")}</p></Show>}>
          <ul class="cards">
            <For each={people()}>{(p) => <PersonCard data={p} />}</For>
          </ul>
        </Show>
      </Show>
    </div>
  );
}

function PersonCard(props: { data: PersonTests }) {
  const latest = () => props.data.samples[0]!;
  const final = () => props.data.samples.find((s) => FINAL.includes(s.status));
  return (
    <li class="card" data-testid="test-person" data-person-id={props.data.personId}>
      <p class="title">{props.data.fullName}</p>
      <div class={`test-now ${tone(latest().status)}`} data-testid="test-person-status" data-status={latest().status}>
        <span class="test-now-label">{t("tstNow")}</span>
        <strong class="test-now-word">{statusWord(latest().status)}</strong>
      </div>
      <p class="test-advice" data-testid="test-advice">
        {adviceWord(latest().status)}
      </p>
      <Show when={final()}>
        {(f) => (
          <A href={sampleLink(f().sampleId)} class="btn" testId="test-certificate">
            {t("tstCertificate")}
          </A>
        )}
      </Show>
      <ol class="doses tests-list">
        <For each={props.data.samples}>
          {(s) => (
            <li data-testid="test-sample" data-sample-id={s.sampleId} data-status={s.status}>
              <strong>{typeWord(s.testType)}</strong>
              {s.pooled ? <span class="muted"> ({t("tstPooled")})</span> : null}
              <br />
              <span class={`pill ${tone(s.status)}`} data-testid="test-status">
                {statusWord(s.status)}
              </span>
              <br />
              <span class="muted">
                {t("tstTaken", { t: whenVN(s.takenAt) })} · {s.siteName}
                <Show when={s.resultAt && FINAL.includes(s.status)}>
                  <br />
                  {t("tstResultAt", { t: whenVN(s.resultAt!) })}
                </Show>
              </span>
            </li>
          )}
        </For>
      </ol>
    </li>
  );
}
