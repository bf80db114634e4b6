import type { User } from "../../db/schema";

/** A user as the API shows it: never the password hash. */
export function presentUser(u: User) {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    provinceCode: u.provinceCode,
    communeCode: u.communeCode,
    disabled: u.disabled,
    createdAt: u.createdAt.toISOString(),
    lastLoginAt: u.lastLoginAt ? u.lastLoginAt.toISOString() : null,
  };
}
