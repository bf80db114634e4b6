/**
 * A lean closed-loop HTTP/1.1 load generator for benchmarks: `connections` keep-alive sockets,
 * one request in flight on each, the next sent as soon as the answer is in. It does what the
 * benchmarks need and no more (no pipelining, no TLS, no chunked answers: the server answers
 * with Content-Length), so it costs a fraction of autocannon's CPU per request — which matters
 * when the load generator shares a 2-core machine with the server and PostgreSQL.
 *
 * When the time is up no new request is sent and the ones in flight are awaited (up to the
 * timeout), so every request sent is either answered or counted as an error.
 */
import { connect, type Socket } from "node:net";

export interface LeanLoadOptions {
  host: string;
  port: number;
  connections: number;
  seconds: number;
  /** Per request; a request not answered in time is an error and its connection is replaced. */
  timeoutMs: number;
  /** The next request: its bytes (a complete HTTP/1.1 request) and a tag handed back with the answer. */
  next(): { bytes: Buffer; tag: string };
  /** Every answer; `body` only for statuses outside 2xx (for error messages). */
  onAnswer(status: number, tag: string, body: string | undefined): void;
  /** Called once a second with the answers of that second. */
  onSecond?(answers: number): void;
}

export interface LeanLoadResult {
  /** From the first request to the last answer, seconds. */
  seconds: number;
  answers: number;
  statusCounts: Record<string, number>;
  /** Socket errors and timeouts (each one request without an answer). */
  connErrors: number;
  timeouts: number;
  /** Latencies of 2xx answers, ms. */
  latency: { p50: number; p90: number; p99: number; max: number; mean: number };
}

const HEADER_END = Buffer.from("\r\n\r\n");

export async function leanLoad(o: LeanLoadOptions): Promise<LeanLoadResult> {
  const statusCounts: Record<string, number> = {};
  let latencies = new Float64Array(1 << 16);
  let nLat = 0;
  let answers = 0;
  let secondAnswers = 0;
  let connErrors = 0;
  let timeouts = 0;
  const t0 = performance.now();
  const stopAt = t0 + o.seconds * 1000;
  let lastAnswer = t0;
  const ticker = o.onSecond
    ? setInterval(() => {
        o.onSecond!(secondAnswers);
        secondAnswers = 0;
      }, 1000)
    : undefined;

  const record = (ms: number) => {
    if (nLat === latencies.length) {
      const bigger = new Float64Array(latencies.length * 2);
      bigger.set(latencies);
      latencies = bigger;
    }
    latencies[nLat++] = ms;
  };

  const runConnection = () =>
    new Promise<void>((resolveConn) => {
      let socket: Socket | undefined;
      let buf: Buffer = Buffer.alloc(0);
      let tag = "";
      let sentAt = 0;
      let timer: NodeJS.Timeout | undefined;
      let busy = false;
      let done = false;

      const finish = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        socket?.end();
        resolveConn();
      };
      const send = () => {
        if (performance.now() >= stopAt) return finish();
        const r = o.next();
        tag = r.tag;
        busy = true;
        sentAt = performance.now();
        timer = setTimeout(() => {
          timeouts++;
          retire(socket!);
        }, o.timeoutMs);
        socket!.write(r.bytes);
      };
      /** Drops a broken connection: its request in flight (if any) is an error; a new one takes over. */
      const retire = (s: Socket) => {
        if (s !== socket || done) return;
        clearTimeout(timer);
        if (busy) connErrors++;
        busy = false;
        socket = undefined;
        s.destroy();
        if (performance.now() < stopAt) setTimeout(open, 10);
        else finish();
      };
      const open = () => {
        const s = connect({ host: o.host, port: o.port, noDelay: true });
        socket = s;
        buf = Buffer.alloc(0);
        s.on("connect", send);
        s.on("error", () => retire(s));
        s.on("close", () => retire(s));
        s.on("data", (chunk: Buffer) => {
          if (s !== socket) return;
          buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
          for (;;) {
            const end = buf.indexOf(HEADER_END);
            if (end < 0) return;
            const head = buf.toString("latin1", 0, end);
            const m = /^HTTP\/1\.[01] (\d{3})/.exec(head);
            const cl = /\r\ncontent-length:\s*(\d+)/i.exec(head);
            if (!m || !cl) return retire(s); // not something this client reads (e.g. chunked)
            const total = end + 4 + Number(cl[1]);
            if (buf.length < total) return;
            const status = Number(m[1]);
            const body = status >= 200 && status < 300 ? undefined : buf.toString("utf8", end + 4, total);
            buf = buf.subarray(total);
            clearTimeout(timer);
            busy = false;
            const now = performance.now();
            lastAnswer = now;
            answers++;
            secondAnswers++;
            statusCounts[status] = (statusCounts[status] ?? 0) + 1;
            if (status >= 200 && status < 300) record(now - sentAt);
            o.onAnswer(status, tag, body);
            send();
            if (done) return;
          }
        });
      };
      open();
    });

  await Promise.all(Array.from({ length: o.connections }, runConnection));
  if (ticker) clearInterval(ticker);
  const lat = latencies.subarray(0, nLat).sort();
  const pct = (p: number) => (nLat ? lat[Math.min(nLat - 1, Math.ceil((p / 100) * nLat) - 1)]! : 0);
  let sum = 0;
  for (let i = 0; i < nLat; i++) sum += lat[i]!;
  const r2 = (x: number) => Math.round(x * 100) / 100;
  return {
    seconds: (lastAnswer - t0) / 1000,
    answers,
    statusCounts,
    connErrors,
    timeouts,
    latency: { p50: r2(pct(50)), p90: r2(pct(90)), p99: r2(pct(99)), max: r2(nLat ? lat[nLat - 1]! : 0), mean: r2(nLat ? sum / nLat : 0) },
  };
}
