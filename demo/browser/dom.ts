// The page's elements, found by their data-field name inside one card.

export type Fields = (name: string) => HTMLElement;

export function fieldsOf(root: Element): Fields {
  return (name) => {
    const element = root.querySelector<HTMLElement>(`[data-field="${name}"]`);
    if (!element) throw new Error(`demo: no [data-field="${name}"] in #${root.id || root.className}`);
    return element;
  };
}

export function card(id: string): HTMLElement {
  const element = document.getElementById(id);
  if (!element) throw new Error(`demo: no #${id}`);
  return element;
}

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

export function formatCount(value: number): string {
  return integer.format(value);
}

/** A rate: one decimal below 10, so that a slow rate never shows as 0. */
export function formatRate(value: number): string {
  return value < 10 ? value.toFixed(1) : integer.format(value);
}

export function formatMs(value: number): string {
  return value < 10 ? `${value.toFixed(2)} ms` : `${integer.format(value)} ms`;
}

export function formatBytes(value: number): string {
  return value < 1024 * 1024 ? `${(value / 1024).toFixed(0)} KiB` : `${(value / 1024 / 1024).toFixed(1)} MiB`;
}
