/**
 * Who is signed in. The tokens live in api.ts (localStorage); this module keeps the current
 * user as a signal the whole portal reads.
 */
import { createSignal } from "solid-js";
import { ApiError, getMe, hasTokens, login, logout, type User } from "./api";

export type SessionStatus = "loading" | "signedIn" | "signedOut" | "error";

const [user, setUser] = createSignal<User | null>(null);
const [status, setStatus] = createSignal<SessionStatus>(hasTokens() ? "loading" : "signedOut");
const [loadError, setLoadError] = createSignal<unknown>(null);

export const session = { user, status, loadError };

/** Reads the signed-in user with the stored tokens (at start-up, and on retry). */
export async function loadSession(): Promise<void> {
  if (!hasTokens()) {
    endSession();
    return;
  }
  setStatus("loading");
  try {
    const me = await getMe();
    setUser(me);
    setLoadError(null);
    setStatus("signedIn");
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      endSession();
    } else {
      setLoadError(error);
      setStatus("error");
    }
  }
}

export async function signIn(username: string, password: string): Promise<User> {
  const me = await login(username, password);
  setUser(me);
  setStatus("signedIn");
  return me;
}

export async function signOut(): Promise<void> {
  await logout();
  endSession();
}

/** Forgets the user locally (tokens already gone: refused refresh, logout in another tab). */
export function endSession(): void {
  setUser(null);
  setStatus("signedOut");
}
