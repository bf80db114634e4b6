/**
 * "/testing": site staff land on the site desk, lab staff on the lab page, officers on the
 * campaigns of their area.
 */
import { Navigate } from "@solidjs/router";
import { session } from "../../session";

export default function TestingEntry() {
  const role = () => session.user()?.role;
  const target = () => (role() === "site_staff" ? "/testing/desk" : role() === "lab_staff" ? "/testing/lab" : "/testing/campaigns");
  return <Navigate href={target()} />;
}
