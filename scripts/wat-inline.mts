// Inlines a .wat module's helper functions (those not exported) into the functions that call them,
// before assembly (scripts/build-wasm-kernels.mts): V8 does not inline wasm calls by default, and a
// call per vector of 4 floats costs more than the math. `(call $f a b)` becomes a block that sets f's
// parameters (renamed $f__p) from a and b, then runs f's body with its locals renamed ($f__x), which
// are declared in the caller. An argument must not itself call the helper it is passed to.

/** Index just past the s-expression that opens at `start` (text without comments). */
function sexpEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i + 1;
  }
  throw new Error(`unbalanced parentheses at ${start}`);
}

/** The top-level s-expressions (or bare tokens) inside the s-expression text `(head …)`. */
function children(sexp: string): string[] {
  const inner = sexp.slice(1, -1);
  const out: string[] = [];
  let i = 0;
  while (i < inner.length) {
    if (/\s/.test(inner[i])) i++;
    else if (inner[i] === '(') {
      const end = sexpEnd(inner, i);
      out.push(inner.slice(i, end));
      i = end;
    } else {
      const m = /^[^\s()]+/.exec(inner.slice(i))!;
      out.push(m[0]);
      i += m[0].length;
    }
  }
  return out;
}

interface Helper {
  params: { name: string; type: string }[];
  locals: { name: string; type: string }[];
  result: string;
  body: string[];
}

export function inlineHelpers(source: string): string {
  let text = source.replace(/;;[^\n]*/g, '');
  const helpers = new Map<string, Helper>();
  for (let at = text.indexOf('(func $'); at >= 0; at = text.indexOf('(func $', at)) {
    const end = sexpEnd(text, at);
    const parts = children(text.slice(at, end));
    if (parts.some((p) => p.startsWith('(export'))) {
      at = end;
      continue;
    }
    const h: Helper = { params: [], locals: [], result: '', body: [] };
    for (const p of parts.slice(2)) {
      const m = /^\((param|local|result)\s+(?:(\$\S+)\s+)?(\w+)\)$/.exec(p);
      if (m && m[1] === 'param') h.params.push({ name: m[2], type: m[3] });
      else if (m && m[1] === 'local') h.locals.push({ name: m[2], type: m[3] });
      else if (m && m[1] === 'result') h.result = m[3];
      else h.body.push(p);
    }
    helpers.set(parts[1], h);
    text = text.slice(0, at) + text.slice(end);
  }
  const rename = (name: string, f: string, s: string) =>
    s.replaceAll(new RegExp(`\\${name}(?![\\w$.])`, 'g'), `${f}__${name.slice(1)}`);
  for (let changed = true; changed;) {
    changed = false;
    for (const [f, h] of helpers) {
      const at = text.indexOf(`(call ${f} `) >= 0 ? text.indexOf(`(call ${f} `) : text.indexOf(`(call ${f})`);
      if (at < 0) continue;
      const end = sexpEnd(text, at);
      const args = children(text.slice(at, end)).slice(2);
      let body = h.body.join(' ');
      for (const v of [...h.params, ...h.locals]) body = rename(v.name, f, body);
      const sets = h.params.map((p, i) => `(local.set ${f}__${p.name.slice(1)} ${args[i]})`).join(' ');
      const result = h.result ? `(result ${h.result}) ` : '';
      text = `${text.slice(0, at)}(block ${result}${sets} ${body})${text.slice(end)}`;
      changed = true;
    }
  }
  // Declare the inlined locals in each function that now uses them.
  for (let at = text.indexOf('(func '); at >= 0; at = text.indexOf('(func ', at + 1)) {
    const end = sexpEnd(text, at);
    const fn = text.slice(at, end);
    const used = new Map<string, string>();
    for (const [f, h] of helpers)
      for (const v of [...h.params, ...h.locals]) {
        const name = `${f}__${v.name.slice(1)}`;
        if (fn.includes(name)) used.set(name, v.type);
      }
    if (!used.size) continue;
    const decl = [...used].map(([n, t]) => `(local ${n} ${t})`).join(' ');
    const firstLocal = fn.indexOf('(local ');
    const rewritten = `${fn.slice(0, firstLocal)}${decl} ${fn.slice(firstLocal)}`;
    text = text.slice(0, at) + rewritten + text.slice(end);
  }
  return text;
}
