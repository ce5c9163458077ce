// Building the page from data without ever parsing data as HTML: every text goes in as text.

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | EventListener | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

export function append(el: Node, children: Child[]): void {
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
}

export function clear(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

/** A definition list of label/value rows. */
export function facts(rows: Array<[string, Child]>): HTMLDListElement {
  return h('dl', {}, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

export function duration(s: number): string {
  const d = Math.floor(s / 86400);
  const hr = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return d ? `${d} d ${hr} h` : hr ? `${hr} h ${m} min` : m ? `${m} min ${s % 60} s` : `${s} s`;
}

export function megabytes(kb: number): string {
  return `${(kb / 1024).toFixed(1)} MB`;
}

/** The line under a form that says what happened: ok, or the error naming its field. */
export function note(): HTMLParagraphElement {
  return h('p', { class: 'note', role: 'status' });
}

export function say(where: HTMLElement, text: string, bad = false): void {
  where.textContent = text;
  where.classList.toggle('bad', bad);
}

/** Runs an action from a button: disabled while it runs, its result or error in `where`. */
export async function act(button: HTMLButtonElement | null, where: HTMLElement, run: () => Promise<string>): Promise<void> {
  if (button) button.disabled = true;
  say(where, 'Working...');
  try {
    say(where, await run());
  } catch (e) {
    say(where, e instanceof Error ? e.message : String(e), true);
  } finally {
    if (button) button.disabled = false;
  }
}

export function labelled(text: string, input: HTMLElement, hint?: string | HTMLElement): HTMLElement {
  return h('label', {}, h('span', {}, text), input, typeof hint === 'string' ? h('small', {}, hint) : hint ?? null);
}
