/**
 * The citizen routes (docs/CITIZENS.md): sign-in by one-time code (public), the account's own
 * data under /api/me (citizens only), and the health QR check for venue staff and officers.
 */
import { createRoute } from "@hono/zod-openapi";
import { OFFICER_ROLES } from "../auth/roles";
import { requireAuth } from "../auth/middleware";
import { actorOf, anonymousActor } from "../http/actor";
import { authErrors, bearer, createRouter, errors, json, jsonBody } from "../http/openapi";
import { myExposures } from "./exposures";
import { checkHealthQr, issueHealthQr } from "./health-qr";
import { addFamilyMember, getProfile, listFamily, removeFamilyMember, updateProfile } from "./me";
import { requestOtp, verifyOtp } from "./otp";
import {
  AddFamilyMember,
  CitizenSession,
  FamilyList,
  FamilyMemberSchema,
  FamilyPersonParam,
  HealthQrQuery,
  HealthQrSchema,
  HealthQrVerified,
  HealthQrVerifyRequest,
  MyExposureList,
  OtpRequest,
  OtpSent,
  OtpVerify,
  ProfileSchema,
  UpdateProfile,
} from "./schemas";

const tags = ["Citizens"];
const err = (description: string) => ({ description, content: errors[400].content });
const citizen = requireAuth("citizen");

export const citizenRoutes = createRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/citizen/otp",
      tags,
      summary: "Send a one-time sign-in code by SMS (the same answer whether or not the phone has an account)",
      request: { body: jsonBody(OtpRequest) },
      responses: {
        202: json(OtpSent, "Code sent"),
        400: errors[400],
        429: err("Too many codes for this phone or address (Retry-After)"),
        503: err("The SMS gateway is unavailable (sms_unavailable)"),
      },
    }),
    async (c) => c.json(await requestOtp(c.get("deps"), anonymousActor(c), c.req.valid("json").phone), 202),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/citizen/verify",
      tags,
      summary: "Sign in with the code (the first time creates the account); refresh and logout are /api/auth/*",
      request: { body: jsonBody(OtpVerify) },
      responses: {
        200: json(CitizenSession, "Signed in"),
        400: err("Wrong or used code (otp_invalid), or invalid input"),
        403: errors[403],
        410: err("The code has expired (otp_expired)"),
        429: err("Too many wrong tries: the code is dead (otp_exhausted)"),
      },
    }),
    async (c) => c.json(await verifyOtp(c.get("deps"), anonymousActor(c), c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/me/profile",
      tags,
      summary: "The citizen's profile (the ID number is never shown back)",
      security: bearer,
      middleware: [citizen] as const,
      responses: { 200: json(ProfileSchema, "Profile"), ...authErrors },
    }),
    async (c) => c.json(await getProfile(c.get("deps"), actorOf(c)), 200),
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/me/profile",
      tags,
      summary: "Set the profile: name, birth date, sex, commune, ID number (stored only as an HMAC)",
      security: bearer,
      middleware: [citizen] as const,
      request: { body: jsonBody(UpdateProfile) },
      responses: { 200: json(ProfileSchema, "Profile"), ...authErrors },
    }),
    async (c) => c.json(await updateProfile(c.get("deps"), actorOf(c), c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/me/family",
      tags,
      summary: "The people the citizen declares for",
      security: bearer,
      middleware: [citizen] as const,
      responses: { 200: json(FamilyList, "Family"), ...authErrors },
    }),
    async (c) => c.json(await listFamily(c.get("deps"), actorOf(c)), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/me/family",
      tags,
      summary: "Add a family member (a person record linked to the account)",
      security: bearer,
      middleware: [citizen] as const,
      request: { body: jsonBody(AddFamilyMember) },
      responses: { 201: json(FamilyMemberSchema, "Added"), ...authErrors, 409: errors[409] },
    }),
    async (c) => c.json(await addFamilyMember(c.get("deps"), actorOf(c), c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/me/family/{personId}",
      tags,
      summary: "Remove a family member from the account",
      security: bearer,
      middleware: [citizen] as const,
      request: { params: FamilyPersonParam },
      responses: { 204: { description: "Removed" }, ...authErrors },
    }),
    async (c) => {
      await removeFamilyMember(c.get("deps"), actorOf(c), c.req.valid("param").personId);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/me/exposures",
      tags,
      summary: "Exposure notices of the citizen and their family (where and when; never who the case was)",
      security: bearer,
      middleware: [citizen] as const,
      responses: { 200: json(MyExposureList, "Notices"), ...authErrors },
    }),
    async (c) => c.json(await myExposures(c.get("deps"), actorOf(c)), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/me/health-qr",
      tags,
      summary: "A personal health QR for the citizen or a family member (valid HEALTH_QR_TTL)",
      security: bearer,
      middleware: [citizen] as const,
      request: { query: HealthQrQuery },
      responses: { 200: json(HealthQrSchema, "Health QR"), ...authErrors },
    }),
    async (c) => {
      c.header("cache-control", "no-store");
      return c.json(await issueHealthQr(c.get("deps"), actorOf(c), c.req.valid("query").personId), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/health-qr/verify",
      tags,
      summary: "Check a personal health QR (venue staff, site staff and officers): status, initials, birth year",
      security: bearer,
      middleware: [requireAuth("venue_staff", "site_staff", ...OFFICER_ROLES)] as const,
      request: { body: jsonBody(HealthQrVerifyRequest) },
      responses: {
        200: json(HealthQrVerified, "What the QR says"),
        ...authErrors,
        400: err("Not a health QR of this platform (invalid_personal_qr)"),
        410: err("The QR has expired (expired_code)"),
      },
    }),
    async (c) => c.json(await checkHealthQr(c.get("deps"), actorOf(c), c.req.valid("json").token), 200),
  );
