/**
 * Accounts in the caller's area: search and role/area filters, keyset "load more", a create
 * form, disable/enable, and moving an account to another area.
 */
import { A } from "@solidjs/router";
import { For, Show, createEffect, createMemo, createSignal } from "solid-js";
import { ROLES, updateUser, type Role, type User } from "../api";
import { areaNeed, assignableRoles, lockedArea } from "../access";
import { areaLabel, ensureAreaNames } from "../adminUnits";
import Dialog from "../components/Dialog";
import ErrorBanner from "../components/ErrorBanner";
import Flash, { createFlash } from "../components/Flash";
import LoadMore from "../components/LoadMore";
import Spinner from "../components/Spinner";
import { CommuneSelect, ProvinceSelect } from "../components/UnitSelect";
import { formatDateTime, roleLabel, t } from "../i18n";
import { createDebounced } from "../pagination";
import { session } from "../session";
import UserAreaDialog from "./UserAreaDialog";
import UserCreateForm from "./UserCreateForm";
import { createUserList, sameUserFilters, type UserFilters } from "./users.data";

export default function UsersPage() {
  const me = () => session.user()!;
  const locked = () => lockedArea(me());

  const [q, setQ] = createSignal("");
  const [role, setRole] = createSignal<Role | "">("");
  const [provinceCode, setProvinceCode] = createSignal("");
  const [communeCode, setCommuneCode] = createSignal("");
  const query = createDebounced(q, 300);
  // Province and commune filters only where the caller has a choice.
  const provinceFilterShown = () => !locked().provinceCode;
  const communeFilterShown = () => !locked().communeCode;
  const filterProvince = () => locked().provinceCode ?? provinceCode();

  const filters = createMemo(
    (): UserFilters => ({ q: query().trim(), role: role(), provinceCode: provinceCode(), communeCode: communeCode() }),
    undefined,
    { equals: sameUserFilters },
  );
  const list = createUserList(filters);
  createEffect(() => list.items().forEach((u) => ensureAreaNames(u.provinceCode, u.communeCode)));

  const flash = createFlash();
  const [creating, setCreating] = createSignal(false);
  const [freshId, setFreshId] = createSignal<string | null>(null);
  const [actionError, setActionError] = createSignal<unknown>(null);
  const [busyId, setBusyId] = createSignal<string | null>(null);
  const [confirmDisable, setConfirmDisable] = createSignal<User | null>(null);
  const [editing, setEditing] = createSignal<User | null>(null);

  const replaceRow = (user: User) => list.update((items) => items.map((u) => (u.id === user.id ? user : u)));

  const onCreated = (user: User) => {
    list.update((items) => [user, ...items.filter((u) => u.id !== user.id)]);
    setFreshId(user.id);
    setCreating(false);
    flash.show(t("users.create.created", { username: user.username }));
  };

  const setDisabled = async (user: User, disabled: boolean) => {
    setBusyId(user.id);
    setActionError(null);
    try {
      const updated = await updateUser(user.id, { disabled });
      replaceRow(updated);
      flash.show(t(disabled ? "users.disabledOk" : "users.enabledOk", { username: updated.username }));
    } catch (err) {
      setActionError(err);
    } finally {
      setBusyId(null);
      setConfirmDisable(null);
    }
  };

  const canManage = (user: User) => user.id !== me().id;
  const canEditArea = (user: User) =>
    canManage(user) && me().role !== "commune_officer" && areaNeed(user.role) !== "none";
  const filtersActive = () => !!(q() || role() || provinceCode() || communeCode());
  const clearFilters = () => {
    setQ("");
    setRole("");
    setProvinceCode("");
    setCommuneCode("");
  };

  return (
    <section class="page" data-testid="users-page">
      <header class="page-head">
        <div>
          <h1 data-testid="users-title">{t("users.title")}</h1>
          <p class="muted">{t("users.lead")}</p>
        </div>
        <Show when={assignableRoles(me().role).length > 0 && !creating()}>
          <button type="button" class="btn btn-primary" data-testid="user-create-open" onClick={() => setCreating(true)}>
            <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
              <path d="M11 5h2v6h6v2h-6v6h-2v-6H5v-2h6z" fill="currentColor" />
            </svg>
            {t("users.create.open")}
          </button>
        </Show>
      </header>

      <Flash message={flash.message()} />

      <Show when={creating()}>
        <section class="card" aria-labelledby="create-title" data-testid="user-create">
          <h2 id="create-title">{t("users.create.title")}</h2>
          <UserCreateForm me={me()} onCreated={onCreated} onCancel={() => setCreating(false)} />
        </section>
      </Show>

      <form class="toolbar" role="search" onSubmit={(e) => e.preventDefault()} data-testid="users-filters">
        <div class="toolbar-field grow">
          <label for="users-q" class="sr-only">
            {t("common.search")}
          </label>
          <input
            id="users-q"
            type="search"
            class="search-input"
            placeholder={t("users.search")}
            value={q()}
            onInput={(e) => setQ(e.currentTarget.value)}
            data-testid="users-search"
          />
        </div>
        <div class="toolbar-field">
          <label for="users-role">{t("users.filterRole")}</label>
          <select id="users-role" value={role()} onChange={(e) => setRole(e.currentTarget.value as Role | "")} data-testid="users-role-filter">
            <option value="">{t("common.all")}</option>
            <For each={ROLES}>{(r) => <option value={r}>{roleLabel(r)}</option>}</For>
          </select>
        </div>
        <Show when={provinceFilterShown()}>
          <div class="toolbar-field">
            <label for="users-province">{t("area.province")}</label>
            <ProvinceSelect
              id="users-province"
              value={provinceCode()}
              emptyLabel={t("area.anyProvince")}
              testId="users-province-filter"
              onChange={(code) => {
                setProvinceCode(code);
                setCommuneCode("");
              }}
            />
          </div>
        </Show>
        <Show when={communeFilterShown() && filterProvince()}>
          <div class="toolbar-field">
            <label for="users-commune">{t("area.commune")}</label>
            <CommuneSelect
              id="users-commune"
              provinceCode={filterProvince() ?? ""}
              value={communeCode()}
              emptyLabel={t("area.anyCommune")}
              testId="users-commune-filter"
              onChange={setCommuneCode}
            />
          </div>
        </Show>
        <Show when={filtersActive()}>
          <button type="button" class="btn btn-ghost btn-small toolbar-clear" onClick={clearFilters}>
            {t("common.clearFilters")}
          </button>
        </Show>
      </form>

      <ErrorBanner error={actionError()} onDismiss={() => setActionError(null)} />

      <div class="table-wrap" classList={{ stale: list.loading() && !list.loaded() }} aria-busy={list.loading()}>
        <table class="data-table cards-on-phone" data-testid="users-table">
          <thead>
            <tr>
              <th scope="col">{t("users.col.username")}</th>
              <th scope="col">{t("users.col.displayName")}</th>
              <th scope="col">{t("users.col.role")}</th>
              <th scope="col">{t("users.col.area")}</th>
              <th scope="col">{t("users.col.status")}</th>
              <th scope="col">{t("users.col.lastLogin")}</th>
              <th scope="col" class="actions-col">
                {t("users.col.actions")}
              </th>
            </tr>
          </thead>
          <tbody>
            <For each={list.items()}>
              {(user) => (
                <tr
                  data-testid="user-row"
                  data-username={user.username}
                  classList={{ "row-disabled": user.disabled, "row-fresh": user.id === freshId() }}
                >
                  <td data-label={t("users.col.username")} class="cell-title">
                    <code class="username">{user.username}</code>
                    <Show when={user.id === me().id}>
                      <span class="tag">{t("users.you")}</span>
                    </Show>
                  </td>
                  <td data-label={t("users.col.displayName")}>{user.displayName}</td>
                  <td data-label={t("users.col.role")}>
                    <span class={`role-badge role-${user.role}`}>{roleLabel(user.role)}</span>
                  </td>
                  <td data-label={t("users.col.area")}>{areaLabel(user.provinceCode, user.communeCode)}</td>
                  <td data-label={t("users.col.status")}>
                    <span class="status" classList={{ "status-off": user.disabled }} data-testid="user-status">
                      {user.disabled ? t("users.status.disabled") : t("users.status.active")}
                    </span>
                  </td>
                  <td data-label={t("users.col.lastLogin")} class="nowrap">
                    {user.lastLoginAt ? formatDateTime(user.lastLoginAt) : <span class="muted">{t("users.never")}</span>}
                  </td>
                  <td data-label={t("users.col.actions")} class="actions-col">
                    <div class="row-actions">
                      <Show when={canManage(user)}>
                        <Show
                          when={user.disabled}
                          fallback={
                            <button
                              type="button"
                              class="btn btn-small btn-danger-ghost"
                              disabled={busyId() === user.id}
                              data-testid="user-disable"
                              onClick={() => setConfirmDisable(user)}
                            >
                              {t("users.disable")}
                            </button>
                          }
                        >
                          <button
                            type="button"
                            class="btn btn-small"
                            disabled={busyId() === user.id}
                            data-testid="user-enable"
                            onClick={() => void setDisabled(user, false)}
                          >
                            <Show when={busyId() === user.id} fallback={t("users.enable")}>
                              <Spinner inline />
                            </Show>
                          </button>
                        </Show>
                      </Show>
                      <Show when={canEditArea(user)}>
                        <button type="button" class="btn btn-small" data-testid="user-edit-area" onClick={() => setEditing(user)}>
                          {t("users.editArea")}
                        </button>
                      </Show>
                      <A
                        class="btn btn-small btn-ghost"
                        href={`/audit?subjectType=user&subjectId=${encodeURIComponent(user.id)}`}
                        data-testid="user-history"
                      >
                        {t("users.history")}
                      </A>
                    </div>
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
        <Show when={list.loading() && list.items().length === 0}>
          <div class="table-empty">
            <Spinner label={t("common.loading")} />
          </div>
        </Show>
        <Show when={list.loaded() && list.items().length === 0}>
          <div class="table-empty muted" data-testid="users-empty">
            <p>{t("common.empty")}</p>
            <Show when={filtersActive()}>
              <button type="button" class="btn btn-small" onClick={clearFilters}>
                {t("common.clearFilters")}
              </button>
            </Show>
          </div>
        </Show>
      </div>
      <LoadMore list={list} testId="users-load-more" />

      <Show when={confirmDisable()}>
        {(user) => (
          <Dialog title={t("users.confirmDisable.title")} onClose={() => setConfirmDisable(null)} testId="confirm-disable">
            <p>{t("users.confirmDisable.body", { name: user().displayName, username: user().username })}</p>
            <div class="form-actions">
              <button type="button" class="btn btn-ghost" onClick={() => setConfirmDisable(null)}>
                {t("common.cancel")}
              </button>
              <button
                type="button"
                class="btn btn-danger"
                disabled={busyId() === user().id}
                data-testid="confirm-disable-ok"
                onClick={() => void setDisabled(user(), true)}
              >
                {t("users.disable")}
              </button>
            </div>
          </Dialog>
        )}
      </Show>

      <Show when={editing()}>
        {(user) => (
          <UserAreaDialog
            me={me()}
            user={user()}
            onClose={() => setEditing(null)}
            onSaved={(updated) => {
              replaceRow(updated);
              setEditing(null);
              flash.show(t("users.areaSaved", { username: updated.username }));
            }}
          />
        )}
      </Show>
    </section>
  );
}
