/** Coloured labels of the tracing pages: case status, contact status, degree (F0/F1/F2). */
import type { CaseStatus, ContactStatus } from "./tracing.api";
import { caseStatusLabel, contactStatusLabel } from "./tracing.data";

export function CaseStatusBadge(props: { status: CaseStatus; testId?: string }) {
  return (
    <span class={`badge case-status-${props.status}`} data-testid={props.testId ?? "case-status"} data-status={props.status}>
      {caseStatusLabel(props.status)}
    </span>
  );
}

export function ContactStatusBadge(props: { status: ContactStatus; testId?: string }) {
  return (
    <span class={`badge contact-status-${props.status}`} data-testid={props.testId ?? "contact-status"} data-status={props.status}>
      {contactStatusLabel(props.status)}
    </span>
  );
}

/** "F0", "F1", "F2" in the graph's colours. */
export function DegreeBadge(props: { degree: number }) {
  return (
    <span class={`degree degree-${props.degree}`} data-testid="contact-degree" data-degree={props.degree}>
      F{props.degree}
    </span>
  );
}
