// UI benchmark: with a 300-node graph open in the editor (real `netwright serve`, Debian Chromium via
// Playwright), time (a) adding a node and connecting it until its shape is on screen, and (b) a
// parameter change at the Input that re-infers and re-renders every downstream shape.
// Prints median and p95 over repeated trials; target < 50 ms. Run: npm run bench:ui
// Before/after: `npm run bench:ui -- --baseline <another build's renderer/dist>` serves that build's static
// files to alternate rounds (same server, same browser, same load) and prints both. PROFILE=cpu prints
// the page's JavaScript by function over the first round; PROFILE=trace, every round, the main
// thread's CPU time per trial and its time by task kind (style, layout, paint, script).
// --screenshots saves the fitted graph at 1440×900 and 1280×800 into test/artifacts/.
import { chromium, type Browser, type Page } from 'playwright-core';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import os from 'node:os';
import path from 'node:path';
import { CHROMIUM_LAUNCH } from '../test/e2e/support/chromium.ts';

const REPO = path.resolve(import.meta.dirname, '..');
const NODES = 300;
/** The server's NETWRIGHT_HOME (recovery autosaves), inside the bench's temp folder. */
let benchHome = '';
/** Trials per page load (each adds a node further down the view, so keep it small) and page loads. */
const TRIALS_PER_ROUND = 10;
const ROUNDS = 3;

function project300() {
  const nodes: {
    id: string;
    type: string;
    params: Record<string, unknown>;
    position: { x: number; y: number };
  }[] = [];
  const kinds = ['Dense', 'Activation', 'Dropout', 'LayerNormalization'];
  nodes.push({ id: 'in', type: 'Input', params: { shape: [8, 32] }, position: { x: 0, y: 0 } });
  for (let i = 1; i < NODES - 1; i++) {
    const type = kinds[i % kinds.length];
    const params =
      type === 'Dense'
        ? { units: 32, activation: 'relu' }
        : type === 'Activation'
          ? { activation: 'tanh' }
          : type === 'Dropout'
            ? { rate: 0.1 }
            : {};
    nodes.push({ id: `n${i}`, type, params, position: { x: (i % 15) * 220, y: Math.floor(i / 15) * 130 } });
  }
  nodes.push({
    id: 'out',
    type: 'Output',
    params: { loss: 'meanSquaredError' },
    position: { x: 0, y: 21 * 130 },
  });
  const edges = nodes.slice(1).map((n, i) => ({ id: `e${i}`, source: nodes[i].id, target: n.id }));
  return { format: 'netwright', version: 1, name: 'UI bench (300 nodes)', graph: { nodes, edges } };
}

/** Runs in the page: the timed edits, through the same store actions the UI's handlers call. */
const BROWSER_TRIALS = `async function (trials) {
  const editor = window.__netwright.editor;
  const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
  const until = async (check, what) => {
    const start = performance.now();
    while (!check()) {
      if (performance.now() - start > 10000) throw new Error('UI bench: gave up waiting for ' + what());
      await new Promise((r) => setTimeout(r, 0));
    }
  };
  const text = (id) => document.querySelector('[data-testid="node-shape-' + id + '"]')?.textContent ?? null;
  const add = [], reshape = [];
  for (let i = 0; i < trials; i++) {
    await frame();
    let t0 = performance.now();
    const id = editor.getState().addNode('Dense', { x: 3400, y: i * 120 });
    editor.getState().connect('n297', id);
    await until(() => text(id) === '[?, 8, 16]' || text(id) === '[?, 12, 16]', () => 'the shape of ' + id + ', showing ' + text(id));
    await frame();
    add.push(performance.now() - t0);

    await frame();
    const rows = 8 + (i % 2 ? 0 : 4);
    t0 = performance.now();
    editor.getState().setParam('in', 'shape', [rows, 32]);
    (window.__storeMs ??= []).push(performance.now() - t0);
    // React renders store updates in a microtask queued during setParam, so it has run by now.
    await null;
    (window.__reactMs ??= []).push(performance.now() - t0);
    await until(() => text('out') === '[?, ' + rows + ', 32]', () => 'the shape of out, showing ' + text('out'));
    (window.__domMs ??= []).push(performance.now() - t0);
    await frame();
    reshape.push(performance.now() - t0);
  }
  return { add, reshape, store: window.__storeMs, react: window.__reactMs, dom: window.__domMs };
}`;

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return {
    median: s[Math.floor(s.length / 2)],
    p95: s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)],
    min: s[0],
  };
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** Serve the renderer's static files from another build (the baseline) while the API stays the real server's. */
async function serveStaticFrom(page: Page, dir: string): Promise<void> {
  await page.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname.startsWith('/api/')) return route.continue();
    const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
    const file = path.join(dir, rel);
    if (!file.startsWith(path.resolve(dir)) || !existsSync(file))
      return route.fulfill({ status: 404, body: 'not found' });
    await route.fulfill({
      status: 200,
      body: readFileSync(file),
      headers: { 'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream' },
    });
  });
}

interface Timings {
  add: number[];
  reshape: number[];
  store: number[];
  react: number[];
  dom: number[];
  rendered: number;
}

async function runRound(
  browser: Browser,
  url: string,
  staticDir: string | null,
  trials: number,
  profile: Profile,
  screenshots = false,
): Promise<Timings> {
  // Each round starts without the previous round's recovery autosave (its banner shortens the canvas).
  rmSync(path.join(benchHome, 'recovery'), { recursive: true, force: true });
  rmSync(path.join(benchHome, 'recovery.netwright.json'), { force: true });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  try {
    if (staticDir) await serveStaticFrom(page, staticDir);
    await page.goto(url);
    await page.getByTestId('backend-badge').filter({ hasNotText: '…' }).waitFor();
    // The app opens the Iris template on start: load the bench graph after that, not before.
    while (!(await page.evaluate('window.__netwright.editor.getState().nodes.length > 0')))
      await page.waitForTimeout(100);
    // Browser-side code is passed as text: tsx would otherwise wrap its functions in a helper
    // (__name) that does not exist in the page.
    await page.evaluate(
      `window.__netwright.editor.getState().loadProject(${JSON.stringify(project300())}, null)`,
    );
    // Fit view: all 300 nodes on screen, so all are rendered (the canvas skips off-screen ones).
    await page.getByTestId('node-shape-in').waitFor();
    let rendered = 0;
    for (let attempt = 0; attempt < 10 && rendered < NODES; attempt++) {
      await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('f');
      await page.waitForTimeout(600);
      rendered = await page.locator('.react-flow__node').count();
    }
    if (rendered < NODES) throw new Error(`UI bench: fit view shows ${rendered} of ${NODES} nodes`);
    const cdp = profile === 'cpu' ? await page.context().newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    if (profile === 'trace') await browser.startTracing(page, { categories: TRACE_CATEGORIES });
    const result = (await page.evaluate(`(${BROWSER_TRIALS})(${trials})`)) as Omit<Timings, 'rendered'>;
    if (cdp) printProfile(((await cdp.send('Profiler.stop')) as { profile: CpuProfile }).profile);
    if (profile === 'trace') printTrace(await browser.stopTracing(), trials, staticDir ?? 'renderer/dist');
    if (screenshots) await saveScreenshots(page);
    return { ...result, rendered };
  } finally {
    await page.close();
  }
}

/** --screenshots: the fitted graph after the trials, at both window sizes the UI is checked at. */
async function saveScreenshots(page: Page): Promise<void> {
  const dir = path.join(REPO, 'test/artifacts');
  mkdirSync(dir, { recursive: true });
  for (const [width, height] of [
    [1440, 900],
    [1280, 800],
  ]) {
    await page.setViewportSize({ width, height });
    await page.locator('.react-flow[data-view-settled="yes"]').waitFor();
    // Nothing selected, so F fits the whole graph.
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('f');
    await page.locator('.react-flow[data-view-settled="yes"]').waitFor();
    const file = path.join(dir, `ui-bench-300-nodes-${width}x${height}.png`);
    await page.screenshot({ path: file });
    console.log(`screenshot: ${path.relative(REPO, file)}`);
  }
}

/** PROFILE=cpu: the page's JavaScript by function; PROFILE=trace: the renderer's main thread by task kind. */
type Profile = 'cpu' | 'trace' | null;
const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8'];

interface TraceEvent {
  name: string;
  ph: string;
  dur?: number;
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
}

/**
 * Where the renderer's main thread spent the trials: self time per timeline event kind (an event's
 * thread time less that of the events nested in it), so style, layout, paint and script add up; thread
 * time, because other processes' load stretches wall-clock durations far more.
 */
function printTrace(buffer: Buffer, trials: number, label: string): void {
  const events = (JSON.parse(buffer.toString()) as { traceEvents: TraceEvent[] }).traceEvents;
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (!main) return console.log('trace: no renderer main thread found');
  const spans = events
    .filter((e) => e.ph === 'X' && e.pid === main.pid && e.tid === main.tid && e.dur)
    .map((e) => ({
      name: e.name,
      start: (e as unknown as { ts: number }).ts,
      end: 0,
      dur: e.dur!,
      cpu: e.tdur ?? e.dur!,
    }))
    .map((e) => ({ ...e, end: e.start + e.dur }))
    .sort((a, b) => a.start - b.start || b.dur - a.dur);
  const self = new Map<string, number>();
  const stack: { name: string; end: number; child: number; cpu: number }[] = [];
  const close = (upTo: number) => {
    while (stack.length && stack[stack.length - 1].end <= upTo) {
      const s = stack.pop()!;
      self.set(s.name, (self.get(s.name) ?? 0) + s.cpu - s.child);
    }
  };
  // Thread time of the outermost tasks: the CPU the main thread used, which other processes' load
  // stretches far less than the wall-clock durations.
  let cpu = 0;
  let wall = 0;
  for (const e of spans) {
    close(e.start);
    if (!stack.length) {
      cpu += e.cpu;
      wall += e.dur;
    }
    if (stack.length) stack[stack.length - 1].child += e.cpu;
    stack.push({ name: e.name, end: e.end, child: 0, cpu: e.cpu });
  }
  close(Infinity);
  console.log(
    `trace (${label}): main thread busy ${(cpu / 1000 / trials).toFixed(1)} ms of CPU (${(wall / 1000 / trials).toFixed(1)} ms wall) per trial (an add and an Input change), ${trials} trials; self time per kind (ms of CPU):`,
  );
  [...self]
    .sort((x, y) => y[1] - x[1])
    .slice(0, 18)
    .forEach(([k, v]) => console.log(`${(v / 1000 / trials).toFixed(1).padStart(7)}  ${k}`));
}

interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  samples: number[];
  timeDeltas: number[];
}

/** The page's JavaScript by function: self time, and total time (with what it called). */
function printProfile(profile: CpuProfile): void {
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (id: number) => {
    const f = byId.get(id)!.callFrame;
    return `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
  };
  profile.samples.forEach((id, i) => {
    const ms = profile.timeDeltas[i] / 1000;
    self.set(key(id), (self.get(key(id)) ?? 0) + ms);
    const onStack = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) onStack.add(key(at));
    for (const k of onStack) total.set(k, (total.get(k) ?? 0) + ms);
  });
  const top = (m: Map<string, number>, title: string) => {
    console.log(title);
    [...m]
      .sort((x, y) => y[1] - x[1])
      .slice(0, 70)
      .forEach(([k, v]) => console.log(v.toFixed(0).padStart(6), k));
  };
  top(self, 'CPU profile, self time (ms):');
  top(total, 'CPU profile, total time (ms, with callees):');
}

function report(label: string, t: Timings): void {
  const a = stats(t.add);
  const r = stats(t.reshape);
  const st = stats(t.store);
  const dom = stats(t.dom);
  const re = stats(t.react);
  console.log(`${label}: ${t.add.length} trials, ${t.rendered} nodes rendered`);
  console.log(
    `  add + connect a node, its shape on screen: median ${a.median.toFixed(1)} ms, p95 ${a.p95.toFixed(1)} ms, min ${a.min.toFixed(1)} ms (target < 50 ms)`,
  );
  console.log(
    `  change Input shape, all ${NODES} shapes re-inferred and re-rendered: median ${r.median.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, min ${r.min.toFixed(1)} ms (target < 50 ms)`,
  );
  console.log(
    `    of which shape inference + store update: median ${st.median.toFixed(1)} ms; + React render and commit: ${re.median.toFixed(1)} ms; every new shape in the DOM: ${dom.median.toFixed(1)} ms; the rest is the browser's style, layout and paint of that frame, until the next frame starts`,
  );
}

const merge = (a: Timings | null, b: Timings): Timings =>
  a
    ? {
        add: [...a.add, ...b.add],
        reshape: [...a.reshape, ...b.reshape],
        store: [...a.store, ...b.store],
        react: [...a.react, ...b.react],
        dom: [...a.dom, ...b.dom],
        rendered: b.rendered,
      }
    : b;

async function main() {
  const { values } = parseArgs({
    options: {
      baseline: { type: 'string' },
      rounds: { type: 'string' },
      screenshots: { type: 'boolean' },
    },
  });
  const baseline = values.baseline ? path.resolve(values.baseline) : null;
  if (baseline && !existsSync(path.join(baseline, 'index.html')))
    throw new Error(
      `--baseline ${baseline} has no index.html (point it at another renderer build's dist folder)`,
    );
  if (!existsSync(path.join(REPO, 'renderer/dist/index.html')))
    throw new Error('Build the renderer first: npm run build');
  // With a baseline, rounds alternate between the two builds so machine load hits both alike.
  const rounds = Number(values.rounds ?? ROUNDS);
  const asked = process.env.PROFILE;
  const profileKind: Profile = asked === 'trace' ? 'trace' : asked ? 'cpu' : null;
  const root = mkdtempSync(path.join(os.tmpdir(), 'netwright-uibench-'));
  benchHome = path.join(root, '.home');
  const server = spawn(
    process.execPath,
    [path.join(REPO, 'bin/netwright.mjs'), 'serve', '--port', '0', '--root', root],
    // Recovery autosaves go to the bench's own folder, not the user's ~/.netwright.
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NETWRIGHT_HOME: benchHome } },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    server.on('exit', (code) => reject(new Error(`netwright serve exited with ${code}`)));
  });
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  try {
    let current: Timings | null = null;
    let base: Timings | null = null;
    const trials = TRIALS_PER_ROUND;
    for (let i = 0; i < rounds; i++) {
      // A trace every round (it prints CPU time, the load-robust figure); a CPU profile on the first.
      const profile = profileKind === 'trace' || i === 0 ? profileKind : null;
      if (baseline)
        base = merge(
          base,
          await runRound(browser, url, baseline, trials, profile === 'trace' ? profile : null),
        );
      current = merge(
        current,
        await runRound(browser, url, null, trials, profile, i === 0 && !!values.screenshots),
      );
    }
    console.log(
      `UI bench: ${NODES}-node graph, Chromium ${browser.version()}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)}`,
    );
    if (base) report(`Baseline (${baseline})`, base);
    report(baseline ? 'Current (renderer/dist)' : 'renderer/dist', current!);
    console.log(
      `  (timings depend on the machine's load: on a shared 2-core box they vary several-fold between runs; compare builds with --baseline <dist>, which alternates rounds)`,
    );
  } finally {
    await browser.close();
    server.kill('SIGTERM');
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
