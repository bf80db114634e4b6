/** Coloured labels of the declarations pages: the risk (follow_up red, watch amber, none grey) and the review. */
import { Show } from "solid-js";
import type { ReviewStatus, RiskLevel, RiskReason } from "./declarations.api";
import { reasonsText, reviewLabel, riskLabel } from "./declarations.data";

export function RiskBadge(props: { risk: RiskLevel; testId?: string }) {
  return (
    <span class={`decl-badge decl-risk-${props.risk}`} data-testid={props.testId ?? "decl-risk"} data-risk={props.risk}>
      {riskLabel(props.risk)}
    </span>
  );
}

/** The badge and, under it, the reasons in words ("Có triệu chứng · Tiếp xúc với F0"). */
export function RiskWithReasons(props: { risk: RiskLevel; reasons: readonly RiskReason[] }) {
  return (
    <div class="decl-risk-cell">
      <RiskBadge risk={props.risk} />
      <Show when={props.reasons.length > 0}>
        <span class="sub decl-reasons" data-testid="decl-reasons">
          {reasonsText(props.reasons)}
        </span>
      </Show>
    </div>
  );
}

export function ReviewBadge(props: { review: ReviewStatus; testId?: string }) {
  return (
    <span class={`decl-badge decl-review-${props.review}`} data-testid={props.testId ?? "decl-review"} data-review={props.review}>
      {reviewLabel(props.review)}
    </span>
  );
}
