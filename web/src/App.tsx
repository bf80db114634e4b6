/**
 * The root of every page: sends signed-out visitors to /login (remembering where they were
 * going), wraps signed-in pages in the Layout, and refuses pages the role may not open.
 */
import { A, useLocation, useNavigate, type RouteSectionProps } from "@solidjs/router";
import { Match, Suspense, Switch, createEffect, onCleanup, onMount } from "solid-js";
import { onTokensChangedElsewhere, setUnauthorizedHandler } from "./api";
import ErrorBanner from "./components/ErrorBanner";
import Layout from "./components/Layout";
import Spinner from "./components/Spinner";
import { t } from "./i18n";
import { PUBLIC_PATHS, canOpen } from "./routes";
import { endSession, loadSession, session } from "./session";

export default function App(props: RouteSectionProps) {
  const location = useLocation();
  const navigate = useNavigate();
  const isPublic = () => PUBLIC_PATHS.has(location.pathname);

  const toLogin = (expired: boolean) => {
    if (isPublic()) return;
    const next = location.pathname + location.search;
    const query = new URLSearchParams();
    if (next !== "/") query.set("next", next);
    if (expired) query.set("expired", "1");
    const qs = query.toString();
    navigate(qs ? `/login?${qs}` : "/login", { replace: true });
  };

  onMount(() => {
    setUnauthorizedHandler(() => {
      endSession();
      toLogin(true);
    });
    const stop = onTokensChangedElsewhere((signedIn) => {
      if (!signedIn) endSession();
      else if (session.status() !== "signedIn") void loadSession();
    });
    onCleanup(() => {
      stop();
      setUnauthorizedHandler(null);
    });
    if (session.status() === "loading") void loadSession();
  });

  createEffect(() => {
    if (session.status() === "signedOut" && !isPublic()) toLogin(false);
  });

  const pageFallback = (
    <div class="page-loading">
      <Spinner label={t("common.loading")} />
    </div>
  );

  return (
    <Switch
      fallback={
        <div class="splash">
          <Spinner label={t("app.loading")} />
        </div>
      }
    >
      <Match when={isPublic()}>
        <Suspense fallback={pageFallback}>{props.children}</Suspense>
      </Match>
      <Match when={session.user()}>
        {(user) => (
          <Layout user={user()}>
            <Switch>
              <Match when={!canOpen(location.pathname, user().role)}>
                <section class="page narrow" data-testid="no-access">
                  <h1>{t("error.noAccess")}</h1>
                  <p>
                    <A href="/" class="btn">
                      {t("common.backHome")}
                    </A>
                  </p>
                </section>
              </Match>
              <Match when={true}>
                <Suspense fallback={pageFallback}>{props.children}</Suspense>
              </Match>
            </Switch>
          </Layout>
        )}
      </Match>
      <Match when={session.status() === "error"}>
        <div class="splash">
          <ErrorBanner error={session.loadError()} onRetry={() => void loadSession()} />
        </div>
      </Match>
    </Switch>
  );
}
