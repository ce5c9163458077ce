/** A page: fills `main`, and may return what stops its timers when the owner leaves it. */
export type Page = (main: HTMLElement) => Promise<(() => void) | void>;

/**
 * Calls `tick` now and then every `ms`, until the function it gives is called; it gives
 * it once the first tick is done, so that a page is shown with its data.
 */
export async function every(ms: number, tick: () => Promise<void>): Promise<() => void> {
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
  await loop();
  return () => {
    stopped = true;
    window.clearTimeout(timer);
  };
}
