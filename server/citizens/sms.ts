/**
 * How one-time codes reach citizens (SMS_SENDER): "log" writes {"msg":"otp","phone","code"} to the
 * server log and remembers the last code per phone (development and tests); "http" posts
 * {to, text} JSON with a bearer token to SMS_GATEWAY_URL. A gateway that fails or does not answer
 * in time is a 503 `sms_unavailable`.
 */
import type { Config } from "../config";
import { AppError } from "../http/errors";
import type { Logger } from "../http/log";

export interface SmsSender {
  readonly kind: "log" | "http";
  /** Sends one text; `code` is the one-time code it carries (only the log sender uses it). */
  send(phone: string, text: string, code?: string): Promise<void>;
  /** The last code sent to a phone (log sender only; undefined otherwise). For tests and development. */
  lastCode(phone: string): string | undefined;
}

const MEMORY_MAX = 10_000;

export function createLogSmsSender(log: Logger): SmsSender {
  const last = new Map<string, string>();
  return {
    kind: "log",
    async send(phone, text, code) {
      const found = code ?? /\b(\d{6})\b/.exec(text)?.[1];
      log.info("otp", { phone, code: found });
      if (found) {
        if (last.size >= MEMORY_MAX) last.delete(last.keys().next().value as string);
        last.delete(phone);
        last.set(phone, found);
      }
    },
    lastCode: (phone) => last.get(phone),
  };
}

export interface HttpSmsOptions {
  url: string;
  token: string | undefined;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export function createHttpSmsSender(options: HttpSmsOptions, log: Logger): SmsSender {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 5000;
  const unavailable = () =>
    new AppError("sms_unavailable", "The text message could not be sent; try again shortly", undefined, { "Retry-After": "30" });
  return {
    kind: "http",
    async send(phone, text) {
      let res: Response;
      try {
        res = await doFetch(options.url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          },
          body: JSON.stringify({ to: phone, text }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (e) {
        log.warn("sms gateway unreachable", { error: String(e) });
        throw unavailable();
      }
      // The body is not needed; release the connection.
      await res.body?.cancel().catch(() => {});
      if (!res.ok) {
        log.warn("sms gateway refused", { status: res.status });
        throw unavailable();
      }
    },
    lastCode: () => undefined,
  };
}

export function createSmsSender(config: Pick<Config, "smsSender" | "smsGatewayUrl" | "smsGatewayToken">, log: Logger): SmsSender {
  if (config.smsSender === "http") {
    if (!config.smsGatewayUrl) throw new Error("Invalid configuration:\n  SMS_GATEWAY_URL: required when SMS_SENDER=http");
    return createHttpSmsSender({ url: config.smsGatewayUrl, token: config.smsGatewayToken }, log);
  }
  return createLogSmsSender(log);
}
