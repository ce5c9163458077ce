/** A page: fills `main`, and may return what stops its timers when the owner leaves it. */
export type Page = (main: HTMLElement) => Promise<(() => void) | void>;

/** Calls `tick` now and every `ms` until the returned function is called. */
export function every(ms: number, tick: () => Promise<void>): () => void {
  let stopped = false;
  let timer: number | undefined;
  const loop = async () => {
    try {
      await tick();
    } catch {
      // the next tick tries again; the page shows the last error it had
    }
    if (!stopped) timer = window.setTimeout(loop, ms);
  };
  void loop();
  return () => {
    stopped = true;
    window.clearTimeout(timer);
  };
}
