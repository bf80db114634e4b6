/**
 * How a benchmark (or the soak run) lets go of what it started — the server child, the throwaway
 * PostgreSQL, a load generator, the scratch directory — however it ends: at the end of its main,
 * on an uncaught error, on Ctrl-C or SIGTERM, or on process exit. The steps are synchronous, so
 * they can run from a signal handler or the exit event; each runs on its own (one failing does not
 * keep the others from running) and clears what it stopped, so a second call has nothing to do.
 * bench-reaper.ts covers the one case this cannot: the process killed with SIGKILL.
 */
import { rmSync } from "node:fs";

/** One thing to let go of: what it is (for the error line) and how. */
export type StopStep = [what: string, stop: () => void];

/**
 * Installs the SIGINT/SIGTERM and exit handlers and returns `stopAllNow`, which runs the steps.
 * On a signal the steps run after one turn of the event loop: under `tsx` this process first tells
 * its parent that the signal arrived (a parent that hears nothing within 30 ms sends SIGKILL,
 * which would leave the cluster's directory behind).
 */
export function stopOnExit(name: string, say: (line: string) => void, steps: StopStep[]): () => void {
  const stopAllNow = () => {
    for (const [what, stop] of steps) {
      try {
        stop();
      } catch (e) {
        say(`${name}: could not ${what}: ${(e as Error).message}`);
      }
    }
  };
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping what ${name} started`);
    setTimeout(() => {
      stopAllNow();
      process.exit(signal === "SIGINT" ? 130 : 143);
    }, 0);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.on("exit", stopAllNow);
  return stopAllNow;
}

/** Removes a scratch directory if there is one; returns undefined to clear the holder. */
export function removeDir(dir: string | undefined): undefined {
  if (dir) rmSync(dir, { recursive: true, force: true });
  return undefined;
}

/** What a benchmark holds, read when it stops (getters: the variables change as it runs). */
export interface Started {
  server: () => { kill(): void } | undefined;
  pg: () => { stop(): void } | undefined;
  workDir: () => string | undefined;
}

/**
 * The usual steps: the server first, then `between` (e.g. a load generator), then the temporary
 * PostgreSQL, then the scratch directory; `forget` clears the variables so a second call does nothing.
 */
export function startedSteps(started: Started, forget: () => void, between: StopStep[] = []): StopStep[] {
  return [
    ["stop the server", () => started.server()?.kill()],
    ...between,
    ["stop the temporary PostgreSQL", () => started.pg()?.stop()],
    ["remove the scratch directory", () => removeDir(started.workDir())],
    ["forget what was stopped", forget],
  ];
}
