import type { ReportStatus } from "./reports.api";
import { reportStatusLabel } from "./reports.data";

/** A report's status: new blue, checking amber, resolved green, unfounded grey. */
export function ReportStatusBadge(props: { status: ReportStatus; testId?: string }) {
  return (
    <span class={`report-badge report-status-${props.status}`} data-testid={props.testId ?? "report-status"} data-status={props.status}>
      {reportStatusLabel(props.status)}
    </span>
  );
}
