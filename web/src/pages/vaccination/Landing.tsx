/**
 * The portal's "/": site staff go straight to vaccination (their site's day), everyone else to
 * the venue landing (venue staff to their venues, officers to the home page).
 */
import { Navigate } from "@solidjs/router";
import { Show } from "solid-js";
import { session } from "../../session";
import VenueLanding from "../VenueLanding";

export default function Landing() {
  return (
    <Show when={session.user()?.role !== "site_staff"} fallback={<Navigate href="/vaccination" />}>
      <VenueLanding />
    </Show>
  );
}
