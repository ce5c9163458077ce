/**
 * Waits until `read()` (a console or a file of an emulated machine) has a line matching
 * `re`, and returns it all; fails after `timeoutMs`, or at once when `gone()` says the
 * machine has ended, with the end of what it said.
 */
export async function waitForLine(read: () => string, re: RegExp, timeoutMs: number, what: string, gone: () => boolean = () => false): Promise<string> {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    const text = read();
    if (re.test(text)) return text;
    if (gone()) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no ${re} on ${what} within ${timeoutMs / 1000}s:\n${read().slice(-3000)}`);
}
