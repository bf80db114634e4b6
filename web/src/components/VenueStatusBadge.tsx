import type { VenueStatus } from "../api";
import { t } from "../i18n";

export const venueStatusLabel = (s: VenueStatus): string => t(`venue.status.${s}`);

/** "Chờ duyệt" / "Đang hoạt động" / "Tạm dừng", coloured. */
export default function VenueStatusBadge(props: { status: VenueStatus; testId?: string }) {
  return (
    <span class={`venue-status venue-status-${props.status}`} data-testid={props.testId ?? "venue-status"} data-status={props.status}>
      {venueStatusLabel(props.status)}
    </span>
  );
}
