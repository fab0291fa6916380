// Layering check for core/: builds the folder graph (a folder is core/<x>; an edge x -> y when a file under
// core/x imports one under core/y, type-only and dynamic imports included) and fails when it has a cycle.
// Run by `npm run lint`. `--graph` prints every edge with the files that make it; `--root <dir>` checks <dir>/core.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const rootAt = process.argv.indexOf('--root');
const root = rootAt > 0 ? resolve(process.argv[rootAt + 1]) : resolve(dirname(fileURLToPath(import.meta.url)), '..');
const core = join(root, 'core');

/** Every .ts file under `dir` (declarations excluded). */
function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The node of a path under core/: its first segment, a top-level file without its extension. */
function folderOf(path) {
  const first = relative(core, path).split(sep)[0];
  return first.replace(/\.[cm]?[jt]s$/, '');
}

/** Relative import specifiers of one file (static, re-export, type-only and dynamic), comments ignored. */
function specifiers(file) {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.map((f) => f.fileName).filter((s) => s.startsWith('.'));
}

/** Map "from -> to" to the importing files, for imports that cross folders inside core/. */
function folderEdges() {
  const edges = new Map();
  for (const file of sources(core)) {
    for (const spec of specifiers(file)) {
      const target = resolve(dirname(file), spec);
      if (relative(core, target).startsWith('..')) continue;
      const from = folderOf(file);
      const to = folderOf(target);
      if (from === to) continue;
      const key = `${from} -> ${to}`;
      if (!edges.has(key)) edges.set(key, new Set());
      edges.get(key).add(relative(root, file));
    }
  }
  return edges;
}

/** Strongly connected components with more than one folder (Tarjan). */
function cyclicComponents(nodes, next) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const out = [];
  let counter = 0;
  const visit = (v) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) !== index.get(v)) return;
    const component = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) out.push(component.sort());
  };
  for (const v of nodes) if (!index.has(v)) visit(v);
  return out;
}

/** A shortest cycle through `start` inside `component` (breadth-first), as a list of folders. */
function shortestCycle(start, component, next) {
  const inside = new Set(component);
  const parent = new Map([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift();
    for (const w of next.get(v) ?? []) {
      if (!inside.has(w)) continue;
      if (w === start) {
        const path = [v];
        for (let p = parent.get(v); p !== null; p = parent.get(p)) path.unshift(p);
        return [...path, start];
      }
      if (!parent.has(w)) {
        parent.set(w, v);
        queue.push(w);
      }
    }
  }
  return [];
}

const edges = folderEdges();
const next = new Map();
for (const key of edges.keys()) {
  const [from, to] = key.split(' -> ');
  if (!next.has(from)) next.set(from, new Set());
  next.get(from).add(to);
}
const nodes = [...new Set([...next.keys(), ...[...next.values()].flatMap((s) => [...s])])].sort();

if (process.argv.includes('--graph')) {
  for (const [key, files] of [...edges].sort()) console.log(`${key}  (${[...files].join(', ')})`);
}

const components = cyclicComponents(nodes, next);
for (const component of components) {
  console.log(`folder cycle in core: ${component.join(', ')}`);
  const seen = new Set();
  for (const v of component) {
    const cycle = shortestCycle(v, component, next).slice(0, -1);
    const at = cycle.indexOf([...cycle].sort()[0]);
    const canonical = [...cycle.slice(at), ...cycle.slice(0, at)];
    const text = [...canonical, canonical[0]].join(' -> ');
    if (cycle.length > 0 && !seen.has(text)) console.log(`  ${text}`);
    seen.add(text);
  }
  for (const [key, files] of [...edges].sort()) {
    const [from, to] = key.split(' -> ');
    if (component.includes(from) && component.includes(to)) console.log(`    ${key}: ${[...files].join(', ')}`);
  }
}
if (components.length > 0) {
  console.log(`check-layers: ${components.length} folder cycle(s) in core/ (see ../shared/ARCHITECTURE.md)`);
  process.exitCode = 1;
} else {
  console.log(`check-layers: core/ has ${nodes.length} folders, ${edges.size} edges, no folder cycle`);
}
