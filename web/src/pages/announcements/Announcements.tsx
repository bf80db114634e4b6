/**
 * Thông báo / Announcements of the caller's area (docs/STATS.md): the list newest first with
 * status and kind filters; commune and province officers and national admins write drafts, edit
 * them, publish them on the province's public situation page (/tinh-hinh/<provinceCode>) and
 * withdraw them; health officers read.
 */
import { For, Show, createMemo, createSignal } from "solid-js";
import { ANNOUNCEMENT_WRITER_ROLES } from "../../access";
import { areaLabel, ensureAreaNames } from "../../adminUnits";
import Dialog from "../../components/Dialog";
import ErrorBanner from "../../components/ErrorBanner";
import Flash, { createFlash } from "../../components/Flash";
import { FilterBar, FilterField, ListTable } from "../../components/ListView";
import { formatDateTime, t } from "../../i18n";
import { session } from "../../session";
import { localised, sameFilters } from "../vaccination/vaccination.data";
import AnnouncementForm from "./AnnouncementForm";
import {
  ANNOUNCEMENT_KINDS,
  ANNOUNCEMENT_STATUSES,
  createAnnouncementList,
  publicPageOf,
  updateAnnouncement,
  type Announcement,
  type AnnouncementKind,
  type AnnouncementStatus,
} from "./announcements.api";
import "./announcements.css";

export default function AnnouncementsPage() {
  const me = () => session.user()!;
  const canWrite = () => ANNOUNCEMENT_WRITER_ROLES.includes(me().role);
  const [status, setStatus] = createSignal<AnnouncementStatus | "">("");
  const [kind, setKind] = createSignal<AnnouncementKind | "">("");
  const filters = createMemo(() => ({ status: status() || undefined, kind: kind() || undefined }), undefined, { equals: sameFilters });
  const list = createAnnouncementList(filters);
  const [editing, setEditing] = createSignal<Announcement | "new" | null>(null);
  const [busy, setBusy] = createSignal<string | null>(null);
  const [failure, setFailure] = createSignal<unknown>(null);
  const flash = createFlash();
  const active = () => !!(status() || kind());
  const clear = () => {
    setStatus("");
    setKind("");
  };

  const replace = (a: Announcement) => list.update((items) => items.map((x) => (x.id === a.id ? a : x)));
  const setStatusOf = async (a: Announcement, next: AnnouncementStatus) => {
    if (busy()) return;
    setBusy(a.id);
    setFailure(null);
    try {
      const saved = await updateAnnouncement(a.id, { status: next });
      if (status() && status() !== saved.status) list.update((items) => items.filter((x) => x.id !== saved.id));
      else replace(saved);
      flash.show(next === "published" ? t("ann.published") : next === "withdrawn" ? t("ann.withdrawn") : t("ann.saved"));
    } catch (error) {
      setFailure(localised(error));
    } finally {
      setBusy(null);
    }
  };
  const saved = (a: Announcement, created: boolean) => {
    setEditing(null);
    if (created) list.reload();
    else replace(a);
    flash.show(created ? t("ann.created") : t("ann.saved"));
  };

  return (
    <section class="page" data-testid="ann-page">
      <header class="page-head">
        <div>
          <h1 data-testid="ann-title">{t("ann.pageTitle")}</h1>
          <p class="muted">{t("ann.lead")}</p>
        </div>
        <div class="ann-head-actions">
          <Show when={me().provinceCode}>
            {(code) => (
              <a class="btn btn-ghost" href={publicPageOf(code())} target="_blank" rel="noopener" data-testid="ann-public-link">
                {t("ann.publicPage")}
              </a>
            )}
          </Show>
          <Show when={canWrite()}>
            <button type="button" class="btn btn-primary" onClick={() => setEditing("new")} data-testid="ann-new">
              {t("ann.new")}
            </button>
          </Show>
        </div>
      </header>
      <Flash message={flash.message()} />
      <ErrorBanner error={failure()} onDismiss={() => setFailure(null)} testId="ann-error" />

      <FilterBar testId="ann" active={active()} onClear={clear}>
        <FilterField id="ann-status" label={t("ann.status")}>
          <select id="ann-status" value={status()} onChange={(e) => setStatus(e.currentTarget.value as AnnouncementStatus | "")} data-testid="ann-status-filter">
            <option value="">{t("common.all")}</option>
            <For each={ANNOUNCEMENT_STATUSES}>{(s) => <option value={s}>{t(`ann.status.${s}`)}</option>}</For>
          </select>
        </FilterField>
        <FilterField id="ann-kind" label={t("ann.kind")}>
          <select id="ann-kind" value={kind()} onChange={(e) => setKind(e.currentTarget.value as AnnouncementKind | "")} data-testid="ann-kind-filter">
            <option value="">{t("common.all")}</option>
            <For each={ANNOUNCEMENT_KINDS}>{(k) => <option value={k}>{t(`ann.kind.${k}`)}</option>}</For>
          </select>
        </FilterField>
      </FilterBar>

      <ListTable
        list={list}
        testId="ann"
        columns={[{ label: t("ann.title") }, { label: t("ann.area") }, { label: t("ann.status") }, { label: t("ann.when") }, { label: t("ann.actions") }]}
        emptyText={t("ann.empty")}
        filtersActive={active()}
        onClearFilters={clear}
      >
        {(a) => {
          ensureAreaNames(a.provinceCode, a.communeCode);
          return (
            <tr data-testid="ann-row" data-id={a.id} data-status={a.status} data-title={a.title}>
              <td data-label={t("ann.title")} class="cell-title">
                <span class="ann-title">{a.title}</span>
                <span class="sub muted">{t(`ann.kind.${a.kind}`)}</span>
                <p class="ann-body small">{a.body}</p>
              </td>
              <td data-label={t("ann.area")}>{a.communeCode ? areaLabel(a.provinceCode, a.communeCode) : t("ann.provinceWide", { province: areaLabel(a.provinceCode, null) })}</td>
              <td data-label={t("ann.status")}>
                <span class={`ann-badge ann-${a.status}`} data-testid="ann-status">
                  {t(`ann.status.${a.status}`)}
                </span>
              </td>
              <td data-label={t("ann.when")} class="nowrap small">
                <Show when={a.publishedAt && a.status === "published"} fallback={t("ann.updatedAt", { at: formatDateTime(a.updatedAt) })}>
                  {t("ann.publishedAt", { at: formatDateTime(a.publishedAt) })}
                </Show>
              </td>
              <td data-label={t("ann.actions")}>
                <div class="ann-actions">
                  <Show when={canWrite()}>
                    <button type="button" class="btn btn-small btn-ghost" disabled={!!busy()} onClick={() => setEditing(a)} data-testid="ann-edit">
                      {t("ann.edit")}
                    </button>
                    <Show
                      when={a.status === "published"}
                      fallback={
                        <button type="button" class="btn btn-small btn-primary" disabled={!!busy()} onClick={() => void setStatusOf(a, "published")} data-testid="ann-publish">
                          {a.status === "withdrawn" ? t("ann.republish") : t("ann.publish")}
                        </button>
                      }
                    >
                      <button type="button" class="btn btn-small btn-danger" disabled={!!busy()} onClick={() => void setStatusOf(a, "withdrawn")} data-testid="ann-withdraw">
                        {t("ann.withdraw")}
                      </button>
                    </Show>
                  </Show>
                  <Show when={a.status === "published"}>
                    <a class="btn btn-small btn-ghost" href={publicPageOf(a.provinceCode)} target="_blank" rel="noopener" data-testid="ann-view-public">
                      {t("ann.viewPublic")}
                    </a>
                  </Show>
                </div>
              </td>
            </tr>
          );
        }}
      </ListTable>

      <Show when={editing()}>
        {(e) => (
          <Dialog title={e() === "new" ? t("ann.new") : t("ann.editTitle")} onClose={() => setEditing(null)} testId="ann-dialog">
            <AnnouncementForm me={me()} {...(e() === "new" ? {} : { announcement: e() as Announcement })} onCancel={() => setEditing(null)} onSaved={saved} />
          </Dialog>
        )}
      </Show>
    </section>
  );
}
