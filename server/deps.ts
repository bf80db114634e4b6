import type { Database, Db } from "../db/client";
import type { Config } from "./config";
import type { Keyring } from "./auth/keys";
import type { Logger } from "./http/log";
import type { RateLimiter } from "./http/rate-limit";
import type { CheckinWriter } from "./checkins/writer";
import type { VenueCache } from "./venues/cache";
import type { VenueCodeVerifier } from "./venues/codes";
import type { SmsSender } from "./citizens/sms";

/** Built once at start-up and handed to every handler and service. */
export interface Deps {
  config: Config;
  database: Database;
  db: Db;
  keys: Keyring;
  log: Logger;
  now: () => Date;
  loginLimiter: RateLimiter;
  venueCache: VenueCache;
  verifyVenueCode: VenueCodeVerifier;
  checkinWriter: CheckinWriter;
  /** Sends one-time sign-in codes (SMS_SENDER). */
  sms: SmsSender;
}
