// Builds DOM nodes. Text goes in through textContent only, never innerHTML: names, addresses
// and (later) ticket text come from outside and must render as text.

type Child = Node | string | null | undefined | false;

export interface ElementProps {
  readonly class?: string;
  readonly text?: string;
  readonly title?: string;
  readonly data?: Readonly<Record<string, string>>;
  readonly attrs?: Readonly<Record<string, string>>;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: ElementProps = {}, children: readonly Child[] = []): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (props.class !== undefined) e.className = props.class;
  if (props.text !== undefined) e.textContent = props.text;
  if (props.title !== undefined) e.title = props.title;
  for (const [k, v] of Object.entries(props.data ?? {})) e.dataset[k] = v;
  for (const [k, v] of Object.entries(props.attrs ?? {})) e.setAttribute(k, v);
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return e;
}

export function clear(e: Element): void {
  e.replaceChildren();
}
