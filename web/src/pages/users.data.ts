/** Data of the users page: the filtered, keyset-paginated list. */
import type { Accessor } from "solid-js";
import { listUsers, type Role, type User } from "../api";
import { createKeysetList } from "../pagination";

export const USERS_PAGE_SIZE = 25;

export interface UserFilters {
  q: string;
  role: Role | "";
  provinceCode: string;
  communeCode: string;
}

export const sameUserFilters = (a: UserFilters, b: UserFilters) =>
  a.q === b.q && a.role === b.role && a.provinceCode === b.provinceCode && a.communeCode === b.communeCode;

export function createUserList(filters: Accessor<UserFilters>) {
  return createKeysetList<User, UserFilters>(filters, (f, cursor, signal) =>
    listUsers({ ...f, limit: USERS_PAGE_SIZE, cursor }, signal),
  );
}
