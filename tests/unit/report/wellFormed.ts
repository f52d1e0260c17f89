/**
 * A small XML well-formedness check for the report (written as polyglot HTML: every element closed, void
 * elements self-closed, attributes quoted): tags nest and match, attribute values are quoted and unique,
 * '&' starts a known entity, no stray '<'. Returns how many of each element there are.
 */
const ENTITY = /^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/i;

function checkText(text: string, where: number): void {
  for (let i = text.indexOf('&'); i !== -1; i = text.indexOf('&', i + 1)) {
    if (!ENTITY.test(text.slice(i))) throw new Error(`bare '&' at ${where + i}: ${JSON.stringify(text.slice(i, i + 20))}`);
  }
}

export function wellFormed(doc: string): Map<string, number> {
  const s = doc.replace(/^<!DOCTYPE html>\s*/i, '');
  const offset = doc.length - s.length;
  const counts = new Map<string, number>();
  const stack: string[] = [];
  let roots = 0;
  let i = 0;
  while (i < s.length) {
    const lt = s.indexOf('<', i);
    const text = s.slice(i, lt === -1 ? s.length : lt);
    checkText(text, offset + i);
    if (stack.length === 0 && text.trim() !== '') throw new Error(`text outside the root element at ${offset + i}`);
    if (lt === -1) break;
    if (s.startsWith('<!--', lt)) {
      const end = s.indexOf('-->', lt);
      if (end === -1) throw new Error(`unclosed comment at ${offset + lt}`);
      i = end + 3;
      continue;
    }
    const gt = s.indexOf('>', lt);
    if (gt === -1) throw new Error(`unclosed tag at ${offset + lt}`);
    const tag = s.slice(lt, gt + 1);
    if (tag.slice(1).includes('<')) throw new Error(`'<' inside a tag at ${offset + lt}: ${tag.slice(0, 60)}`);
    const close = /^<\/([A-Za-z][\w:-]*)\s*>$/.exec(tag);
    if (close) {
      const open = stack.pop();
      if (open !== close[1]) throw new Error(`</${close[1]}> at ${offset + lt} closes <${open ?? 'nothing'}>`);
      i = gt + 1;
      continue;
    }
    const m = /^<([A-Za-z][\w:-]*)((?:\s+[A-Za-z_:][\w:.-]*\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>$/.exec(tag);
    if (!m) throw new Error(`malformed tag at ${offset + lt}: ${tag.slice(0, 120)}`);
    const [, name, attrs, selfClosing] = m;
    const seen = new Set<string>();
    for (const a of attrs.matchAll(/([A-Za-z_:][\w:.-]*)\s*=\s*("[^"]*"|'[^']*')/g)) {
      if (seen.has(a[1])) throw new Error(`duplicate attribute ${a[1]} in <${name}> at ${offset + lt}`);
      seen.add(a[1]);
      checkText(a[2].slice(1, -1), offset + lt);
    }
    if (stack.length === 0) roots++;
    counts.set(name, (counts.get(name) ?? 0) + 1);
    if (!selfClosing) stack.push(name);
    i = gt + 1;
  }
  if (stack.length) throw new Error(`unclosed elements: ${stack.join(' > ')}`);
  if (roots !== 1) throw new Error(`${roots} root elements`);
  return counts;
}
