import { z } from "@hono/zod-openapi";
import { UserSchema } from "../users/schemas";

export const LoginBody = z
  .object({
    username: z.string().trim().toLowerCase().min(1, "Required").max(64),
    password: z.string().min(1, "Required").max(200),
  })
  .openapi("Login");

export const RefreshBody = z.object({ refreshToken: z.string().min(10).max(200) }).openapi("RefreshToken");

export const Session = z
  .object({
    accessToken: z.string(),
    refreshToken: z.string(),
    expiresIn: z.number().int().openapi({ description: "Seconds until the access token expires" }),
    user: UserSchema,
  })
  .openapi("Session");
