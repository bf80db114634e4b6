/** The review of a declaration: contacted or closed, with a note (PATCH /api/declarations/:id). */
import { For, Show, createSignal } from "solid-js";
import ErrorBanner from "../../components/ErrorBanner";
import Field, { describedBy } from "../../components/Field";
import Spinner from "../../components/Spinner";
import { t, type MessageKey } from "../../i18n";
import { REVIEW_ACTIONS, reviewDeclaration, type Declaration, type ReviewInput } from "./declarations.api";
import { reviewLabel } from "./declarations.data";
import { fieldError } from "./format";

type Action = ReviewInput["review"];
const HINTS: Record<Action, MessageKey> = { contacted: "decl.reviewContactedHint", closed: "decl.reviewClosedHint" };

export default function ReviewForm(props: { declaration: Declaration; onSaved: (d: Declaration) => void }) {
  const current = props.declaration.review;
  const [review, setReview] = createSignal<Action | "">(current === "new" ? "" : current);
  const [note, setNote] = createSignal(props.declaration.reviewNote ?? "");
  const [choiceError, setChoiceError] = createSignal<string | undefined>();
  const [failure, setFailure] = createSignal<unknown>(null);
  const [saving, setSaving] = createSignal(false);
  const noteError = () => fieldError(failure(), "reviewNote");

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setFailure(null);
    const chosen = review();
    if (!chosen) {
      setChoiceError(t("decl.reviewChoose"));
      return;
    }
    setChoiceError(undefined);
    setSaving(true);
    try {
      const input: ReviewInput = { review: chosen, reviewNote: note().trim() || null };
      const saved = await reviewDeclaration(props.declaration.id, input);
      props.onSaved({ ...props.declaration, ...saved, review: saved?.review ?? chosen, reviewNote: saved ? saved.reviewNote : input.reviewNote ?? null });
    } catch (error) {
      setFailure(error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form class="form" onSubmit={submit} noValidate data-testid="decl-review-form">
      <ErrorBanner error={failure()} handledFields={["reviewNote"]} testId="decl-review-error" />
      <fieldset class="decl-fieldset" aria-describedby={choiceError() ? "decl-review-choice-error" : undefined}>
        <legend>{t("decl.reviewStatus")}</legend>
        <div class="decl-choices">
          <For each={REVIEW_ACTIONS}>
            {(a) => (
              <label class="decl-choice" classList={{ picked: review() === a }}>
                <input type="radio" name="decl-review" value={a} checked={review() === a} onChange={() => setReview(a)} data-testid={`decl-review-${a}`} />
                <span>
                  <strong>{reviewLabel(a)}</strong>
                  <span class="sub muted">{t(HINTS[a])}</span>
                </span>
              </label>
            )}
          </For>
        </div>
        <Show when={choiceError()}>
          <p class="field-error" id="decl-review-choice-error" data-testid="decl-review-choice-error">
            {choiceError()}
          </p>
        </Show>
      </fieldset>
      <Field id="decl-review-note" label={t("decl.reviewNote")} error={noteError()}>
        <textarea
          id="decl-review-note"
          rows="3"
          maxLength={2000}
          value={note()}
          onInput={(e) => setNote(e.currentTarget.value)}
          aria-invalid={noteError() ? "true" : undefined}
          aria-describedby={describedBy("decl-review-note", noteError())}
          data-testid="decl-review-note"
        />
      </Field>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={saving()} data-testid="decl-review-submit">
          <Show when={saving()} fallback={t("decl.reviewSubmit")}>
            <Spinner inline label={t("common.saving")} />
          </Show>
        </button>
      </div>
    </form>
  );
}
