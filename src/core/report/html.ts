/**
 * HTML as strings, escaped by default: `html` is a tagged template whose interpolated values are escaped unless
 * they are already `Html` (built by `html` itself, or `raw` for text this module wrote). Core has no DOM, so the
 * report and its SVG charts are built this way; one rule for every string that goes into the page.
 */

/** Markup that is already safe to insert as is. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for an element's content and for a quoted attribute value alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** `html\`<td title="${text}">${value}</td>\``: every interpolation escaped (arrays joined, null/undefined/false empty). */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new Html(out);
}

/** Text this module produced and knows to be markup (never user input). */
export function raw(text: string): Html {
  return new Html(text);
}

/** An optional attribute: ` name="value"` when the value is not null/undefined, else nothing. */
export function attr(name: string, value: string | number | null | undefined): Html {
  return value === null || value === undefined ? raw('') : raw(` ${name}="${escapeHtml(String(value))}"`);
}
