/**
 * "/vaccination": site staff with one site land on that site's day (appointments and check-in);
 * everyone else (and staff of several sites) on the sites list.
 */
import { Navigate } from "@solidjs/router";
import { Match, Switch, createResource } from "solid-js";
import ErrorBanner from "../../components/ErrorBanner";
import Spinner from "../../components/Spinner";
import { t } from "../../i18n";
import { session } from "../../session";
import { listSites } from "./vaccination.api";

export default function VaccinationEntry() {
  const staff = () => session.user()?.role === "site_staff";
  const [sites, { refetch }] = createResource(staff, () => listSites({ status: "active", limit: 2 }));
  const only = () => {
    const items = sites()?.items ?? [];
    return items.length === 1 ? items[0]! : null;
  };
  return (
    <Switch
      fallback={
        <div class="page-loading">
          <Spinner label={t("common.loading")} />
        </div>
      }
    >
      <Match when={!staff()}>
        <Navigate href="/vaccination/sites" />
      </Match>
      <Match when={sites.error}>
        <section class="page">
          <ErrorBanner error={sites.error} onRetry={() => void refetch()} />
        </section>
      </Match>
      <Match when={only()}>{(site) => <Navigate href={`/vaccination/sites/${encodeURIComponent(site().id)}`} />}</Match>
      <Match when={sites()}>
        <Navigate href="/vaccination/sites" />
      </Match>
    </Switch>
  );
}
