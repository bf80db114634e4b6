/** What the app knows about the signed-in citizen: profile and family, loaded once per session. */
import { createSignal } from "solid-js";
import { getProfile, listFamily, type FamilyMember, type Profile } from "./api";
import { rememberPerson } from "./session";

const [profile, setProfileSignal] = createSignal<Profile | undefined>();

export function setProfile(p: Profile): void {
  setProfileSignal(p);
  rememberPerson({ personId: p.personId, fullName: p.fullName, birthYear: p.birthYear });
}
const [family, setFamily] = createSignal<FamilyMember[]>([]);
const [meError, setMeError] = createSignal<unknown>();
/** Whose QR the home screen shows: a family member's person id, or "" for the account's own. */
const [whose, setWhose] = createSignal("");
export { profile, family, setFamily, meError, whose, setWhose };

let loading: Promise<void> | undefined;
export function loadMe(force = false): Promise<void> {
  if (!loading || force) {
    setMeError(undefined);
    loading = Promise.all([getProfile(), listFamily()])
      .then(([p, f]) => {
        setProfile(p);
        setFamily(f.items);
      })
      .catch((e: unknown) => {
        loading = undefined;
        setMeError(e);
      });
  }
  return loading;
}

export function forgetMe(): void {
  loading = undefined;
  setProfileSignal(undefined);
  setFamily([]);
  setWhose("");
}

/** The profile has what a declaration needs (the server fills name, year, commune from it). */
export const profileComplete = (p: Profile | undefined) => !!p && !!p.fullName && p.birthYear != null && !!p.communeCode;

/** The display name of a person of this account. */
export function personName(personId: string): string {
  const p = profile();
  if (!personId || personId === p?.personId) return p?.fullName ?? "";
  return family().find((m) => m.personId === personId)?.fullName ?? "";
}
