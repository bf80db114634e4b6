/**
 * The portal's "/": venue staff land on their venues (the door is what they work on), everyone
 * else on the home page.
 */
import { Navigate } from "@solidjs/router";
import { Show } from "solid-js";
import { session } from "../session";
import HomePage from "./Home";

export default function VenueLanding() {
  return (
    <Show when={session.user()?.role !== "venue_staff"} fallback={<Navigate href="/venues" />}>
      <HomePage />
    </Show>
  );
}
