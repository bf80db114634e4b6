import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "./env";
import { AppError, validationError } from "./errors";
import { msg } from "./fields";
import { findUnstorableText } from "./unstorable";

/**
 * Every router of the API: zod validation failures become our 400 with field paths, and so does
 * text the database cannot store (NUL, unpaired surrogates) anywhere in the validated input.
 */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      const where = result.target === "json" ? "request body" : `request ${result.target}`;
      if (!result.success) throw validationError(result.error, where);
      const path = findUnstorableText(result.data);
      if (path !== undefined)
        throw new AppError("validation_failed", `Invalid ${where}`, [
          { path: path || "(body)", message: msg("Có ký tự không lưu được (NUL hoặc nửa cặp UTF-16)", "Contains a character that cannot be stored (NUL or an unpaired UTF-16 surrogate)") },
        ]);
    },
  });
}

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "validation_failed" }),
      message: z.string(),
      requestId: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .openapi("Error");

const err = (description: string) => ({ description, content: { "application/json": { schema: ErrorSchema } } });

/** The error answers every authenticated route may give. */
export const authErrors = {
  400: err("Invalid input (details lists the field paths)"),
  401: err("Missing, invalid or expired access token"),
  403: err("The caller's role may not do this"),
  404: err("Not found, or outside the caller's area"),
} as const;

export const errors = {
  400: err("Invalid input (details lists the field paths)"),
  401: err("Unauthorized"),
  403: err("Forbidden"),
  404: err("Not found, or outside the caller's area"),
  409: err("Conflict with existing data"),
  422: err("Refused by a rule of the registry (the code names the rule)"),
  413: err("Request body too large"),
  429: err("Too many attempts"),
} as const;

export const json = <T extends z.ZodTypeAny>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

export const jsonBody = <T extends z.ZodTypeAny>(schema: T) => ({
  required: true,
  content: { "application/json": { schema } },
});

export const bearer = [{ bearerAuth: [] }];
