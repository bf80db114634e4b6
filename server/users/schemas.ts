import { z } from "@hono/zod-openapi";
import { ROLES } from "../../db/schema";
import { PageQuery, pageSchema } from "../http/pagination";

export const RoleSchema = z.enum(ROLES).openapi("Role");
export const ProvinceCode = z.string().regex(/^\d{2}$/, "Province code is 2 digits").openapi({ example: "01" });
export const CommuneCode = z.string().regex(/^\d{5}$/, "Commune code is 5 digits").openapi({ example: "00070" });
export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{2,63}$/, "3–64 characters: letters, digits, dot, dash, underscore");
export const Password = z.string().min(8, "At least 8 characters").max(200);

export const UserSchema = z
  .object({
    id: z.string().uuid(),
    username: z.string(),
    displayName: z.string(),
    role: RoleSchema,
    provinceCode: z.string().nullable(),
    communeCode: z.string().nullable(),
    disabled: z.boolean(),
    createdAt: z.string().openapi({ format: "date-time" }),
    lastLoginAt: z.string().nullable().openapi({ format: "date-time" }),
  })
  .openapi("User");

export const UserList = pageSchema(UserSchema).openapi("UserList");

export const UserListQuery = z.object({
  q: z.string().max(100).optional().openapi({ description: "Part of the username or display name" }),
  role: RoleSchema.optional(),
  provinceCode: ProvinceCode.optional(),
  communeCode: CommuneCode.optional(),
  ...PageQuery,
});

export const CreateUser = z
  .object({
    username: Username,
    displayName: z.string().trim().min(1, "Required").max(200),
    password: Password,
    role: RoleSchema,
    provinceCode: ProvinceCode.nullish(),
    communeCode: CommuneCode.nullish(),
  })
  .openapi("CreateUser");

export const UpdateUser = z
  .object({
    displayName: z.string().trim().min(1, "Required").max(200).optional(),
    disabled: z.boolean().optional(),
    role: RoleSchema.optional(),
    provinceCode: ProvinceCode.nullish(),
    communeCode: CommuneCode.nullish(),
    password: Password.optional(),
  })
  .openapi("UpdateUser");

export const UserIdParam = z.object({ id: z.string().uuid("Not a user id") });
