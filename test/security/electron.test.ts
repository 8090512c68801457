// The desktop app's security, attacked: tricky URLs against the trusted-sender check, navigation and
// window-open tricks against the web-contents hardening, an untrusted frame calling every IPC method
// (no dialog may open, no engine call may run), malformed and prototype-polluting arguments, and a
// malicious project opened from a chosen folder trying to reach outside it through `..`, absolute
// paths and symlinks (live and dangling). Electron itself has no binary here, so the handlers are
// driven from Node with the real engine and the real access policy; the dialogs are stand-ins that
// return a chosen path (the only mocked part).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  isAppUrl,
  isTrustedFrame,
  mainWindowOptions,
  CONTENT_SECURITY_POLICY,
} from '../../electron/window-options.ts';
import { hardenContents, denyAllPermissions, type HardenableContents } from '../../electron/harden.ts';
import { createAppProtocolHandler } from '../../electron/protocol.ts';
import { createIpcHandlers, type HostDialogs, type IpcHandlers } from '../../electron/ipc.ts';
import { createAccessPolicy } from '../../electron/access.ts';
import { HOST_METHODS } from '../../electron/channels.ts';
import { METHOD_ARGS } from '../../engine/api-methods.ts';
import { createEngine } from '../../engine/service.ts';
import type { EngineApi } from '../../engine/api.ts';
import { REPO, STACK_TRACE } from '../reliability/helpers/cli.ts';

const EXAMPLE = path.join(REPO, 'resources', 'examples', 'iris-mlp.netwright.json');
const SECRET = 'ELECTRON-SECRET-91be';
const TRUSTED = { senderFrame: { url: 'app://netwright/index.html', parent: null } };

describe('trusted sender check against tricky URLs', () => {
  it.each([
    'app://netwright.evil.example/index.html',
    'app://evil.example/index.html',
    'app://netwright@evil.example/index.html',
    'app://evil.example@netwright.x/',
    'http://netwright/index.html',
    'https://netwright/index.html',
    'file:///index.html',
    'app:netwright/index.html',
    'data:text/html,<script>alert(1)</script>',
    'javascript:alert(1)',
    'blob:app://netwright/1234',
    'about:blank',
    '',
    'not a url',
  ])('%s is not the app', (url) => {
    expect(isAppUrl(url)).toBe(false);
    expect(isTrustedFrame({ url, parent: null })).toBe(false);
  });

  it('the app page is trusted only in the top frame', () => {
    expect(isTrustedFrame({ url: 'app://netwright/index.html', parent: null })).toBe(true);
    expect(isTrustedFrame({ url: 'app://netwright/index.html', parent: {} })).toBe(false);
    expect(isTrustedFrame(null)).toBe(false);
    expect(isTrustedFrame(undefined)).toBe(false);
  });
});

describe('window and web contents settings', () => {
  it('isolates the page from Node in every frame and worker', () => {
    const wp = mainWindowOptions('/x/preload.cjs').webPreferences!;
    expect(wp).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    });
    expect(wp.preload).toBe('/x/preload.cjs');
    expect(Object.keys(wp)).not.toContain('enableRemoteModule');
  });

  it('the CSP loads nothing remote, runs no eval and cannot be framed', () => {
    const directives = new Map(
      CONTENT_SECURITY_POLICY.split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([k, ...v]) => [k, v]),
    );
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).not.toContain("'unsafe-eval'");
    expect(directives.get('script-src')).not.toContain("'unsafe-inline'");
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    for (const [, values] of directives)
      for (const v of values) expect(v).not.toMatch(/^(https?:|\*|ws:|wss:)/);
  });

  function driven() {
    const listeners = new Map<string, (e: { preventDefault(): void }, url?: string) => void>();
    let openHandler: (d: { url: string }) => { action: 'deny' } = () => ({ action: 'deny' });
    const contents: HardenableContents = {
      on: ((event: string, l: (e: { preventDefault(): void }, url?: string) => void) =>
        listeners.set(event, l)) as HardenableContents['on'],
      setWindowOpenHandler: (h) => (openHandler = h),
    };
    const opened: string[] = [];
    hardenContents(contents, (url) => opened.push(url));
    const fire = (event: string, url?: string) => {
      let prevented = false;
      listeners.get(event)!({ preventDefault: () => (prevented = true) }, url);
      return prevented;
    };
    return { fire, open: (url: string) => openHandler({ url }), opened };
  }

  it('blocks every navigation and redirect away from the app page', () => {
    const { fire } = driven();
    for (const url of [
      'https://evil.example',
      'app://netwright.evil.example/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,x',
      'http://127.0.0.1:7860/',
    ]) {
      expect(fire('will-navigate', url), url).toBe(true);
      expect(fire('will-redirect', url), url).toBe(true);
    }
    expect(fire('will-navigate', 'app://netwright/index.html')).toBe(false);
    expect(fire('will-attach-webview')).toBe(true);
  });

  it('never opens a new window; only https links go to the system browser', () => {
    const { open, opened } = driven();
    for (const url of [
      'https://docs.example/x',
      'http://evil.example',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'app://netwright/index.html',
    ]) {
      expect(open(url)).toEqual({ action: 'deny' });
    }
    expect(opened).toEqual(['https://docs.example/x']);
  });

  it('denies every permission request', () => {
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      let granted: boolean | undefined;
      denyAllPermissions(null, p, (g) => (granted = g));
      expect(granted).toBe(false);
    }
  });
});

describe('app:// protocol', () => {
  let dist: string;
  beforeAll(async () => {
    dist = await fs.mkdtemp(path.join(os.tmpdir(), 'nw-dist-'));
    await fs.writeFile(path.join(dist, 'index.html'), '<!doctype html><p>app</p>');
    await fs.writeFile(path.join(path.dirname(dist), `${path.basename(dist)}-secret.txt`), SECRET);
  });
  afterAll(async () => {
    await fs.rm(dist, { recursive: true, force: true });
    await fs.rm(path.join(path.dirname(dist), `${path.basename(dist)}-secret.txt`), { force: true });
  });

  it.each([
    '/../../../../etc/passwd',
    '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    '/..%2f..%2f..%2f..%2fetc%2fpasswd',
    '/%2e%2e%5c%2e%2e%5cetc%5cpasswd',
    'SIBLING',
  ])('%s serves nothing outside the renderer build', async (p) => {
    const handler = createAppProtocolHandler(dist);
    const target = p === 'SIBLING' ? `/%2e%2e/${path.basename(dist)}-secret.txt` : p;
    const res = await handler({ url: `app://netwright${target}` });
    const text = await res.text();
    expect(text).not.toContain('root:x:0:0');
    expect(text).not.toContain(SECRET);
    expect(res.headers.get('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY);
  });
});

describe('IPC handlers under attack', () => {
  let tmp: string;
  let home: string;
  let chosenDir: string;
  let outside: string;
  let handlers: IpcHandlers;
  let engineCalls: string[];
  let dialogCalls: string[];
  let nextChosen: string | null;

  beforeAll(async () => {
    tmp = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'nw-ipcsec-')));
    home = path.join(tmp, 'Netwright Projects');
    chosenDir = path.join(tmp, 'downloads');
    outside = path.join(tmp, 'private');
    await fs.mkdir(chosenDir, { recursive: true });
    await fs.mkdir(outside);
    process.env.NETWRIGHT_HOME = path.join(tmp, 'nw-home');
    const example = JSON.parse(await fs.readFile(EXAMPLE, 'utf8'));
    await fs.writeFile(
      path.join(outside, 'secret.netwright.json'),
      JSON.stringify({ ...example, name: SECRET }),
    );
    await fs.writeFile(path.join(outside, 'secret.csv'), `a,b,y\n1,2,${SECRET}\n3,4,${SECRET}\n`);
    // The malicious download: a project whose data and neighbours reach for the private folder.
    await fs.writeFile(
      path.join(chosenDir, 'evil.netwright.json'),
      JSON.stringify({ ...example, data: { source: 'csv:../private/secret.csv', target: 'y' } }),
    );
    await fs.symlink(outside, path.join(chosenDir, 'link-out'));
    await fs.symlink(
      path.join(outside, 'secret.netwright.json'),
      path.join(chosenDir, 'secret-link.netwright.json'),
    );
    await fs.symlink(
      path.join(outside, 'planted.netwright.json'),
      path.join(chosenDir, 'planted.netwright.json'),
    ); // dangling, points out
    await fs.symlink(path.join(outside, 'new-folder'), path.join(chosenDir, 'dangling-dir')); // dangling folder link

    engineCalls = [];
    dialogCalls = [];
    const real = createEngine({ root: home });
    const engine = new Proxy(real, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver);
        if (typeof v !== 'function' || prop === 'subscribe') return v;
        return (...args: unknown[]) => {
          engineCalls.push(String(prop));
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    }) as EngineApi;
    const dialogs: HostDialogs = {
      openProject: async () => (dialogCalls.push('open'), nextChosen),
      saveProject: async () => (dialogCalls.push('save'), nextChosen),
      exportModel: async () => (dialogCalls.push('export'), nextChosen),
    };
    handlers = createIpcHandlers(engine, {
      isTrustedSender: isTrustedFrame,
      dialogs,
      access: await createAccessPolicy(home),
    });
  });
  afterAll(async () => {
    await fs.rm(tmp, { recursive: true, force: true });
  });

  const expectRefused = (reply: Awaited<ReturnType<IpcHandlers['invoke']>>, code: string) => {
    expect(reply.ok, JSON.stringify(reply)).toBe(false);
    if (!reply.ok) {
      expect(reply.error.code).toBe(code);
      expect(reply.error.message.length).toBeGreaterThan(0);
      const text = JSON.stringify(reply);
      expect(text).not.toMatch(STACK_TRACE);
      expect(text).not.toContain(SECRET);
    }
  };

  it('an untrusted frame can call nothing: no engine call runs, no dialog opens', async () => {
    const frames = [
      { url: 'https://evil.example/', parent: null },
      { url: 'app://netwright/index.html', parent: { url: 'app://netwright/index.html' } }, // a sub-frame
      { url: 'app://netwright.evil.example/', parent: null },
      null,
    ];
    for (const senderFrame of frames) {
      for (const method of [...Object.keys(METHOD_ARGS), ...HOST_METHODS]) {
        expectRefused(await handlers.invoke({ senderFrame }, method, []), 'forbidden');
      }
    }
    expect(engineCalls).toEqual([]);
    expect(dialogCalls).toEqual([]);
  });

  it('malformed calls are refused before reaching the engine', async () => {
    const before = engineCalls.length;
    expectRefused(await handlers.invoke(TRUSTED, 42, []), 'invalid');
    expectRefused(await handlers.invoke(TRUSTED, 'x'.repeat(101), []), 'invalid');
    expectRefused(await handlers.invoke(TRUSTED, 'version', 'not a list'), 'invalid');
    expectRefused(
      await handlers.invoke(
        TRUSTED,
        'version',
        Array.from({ length: 17 }, () => 0),
      ),
      'invalid',
    );
    for (const m of [
      '__proto__',
      'constructor',
      'toString',
      'subscribe',
      'host.__proto__',
      'host.constructor',
    ]) {
      const reply = await handlers.invoke(TRUSTED, m, []);
      expect(reply.ok, m).toBe(false);
    }
    expect(engineCalls.length).toBe(before);
  });

  it('prototype-polluting arguments pollute nothing', async () => {
    const payload = JSON.parse(
      '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}',
    );
    await handlers.invoke(TRUSTED, 'saveProject', ['x.netwright.json', payload]);
    await handlers.invoke(TRUSTED, 'startTraining', [payload]);
    await handlers.invoke(TRUSTED, 'host.setDocument', [payload]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('before any dialog, files outside the projects folder are refused', async () => {
    for (const p of [
      path.join(chosenDir, 'evil.netwright.json'),
      path.join(outside, 'secret.netwright.json'),
      '../private/secret.netwright.json',
      '/etc/passwd',
    ]) {
      expectRefused(await handlers.invoke(TRUSTED, 'openProject', [p]), 'forbidden');
    }
  });

  it('a project chosen in the dialog opens; its data reaching outside its folder is refused', async () => {
    nextChosen = path.join(chosenDir, 'evil.netwright.json');
    const granted = await handlers.invoke(TRUSTED, 'host.openDialog', []);
    expect(granted).toEqual({ ok: true, result: nextChosen });
    const opened = await handlers.invoke(TRUSTED, 'openProject', [nextChosen]);
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    const project = opened.result as { data: { source: string } };
    expectRefused(await handlers.invoke(TRUSTED, 'previewData', [project.data, nextChosen]), 'forbidden');
    expectRefused(
      await handlers.invoke(TRUSTED, 'startTraining', [{ project, projectPath: nextChosen }]),
      'forbidden',
    );
    expectRefused(
      await handlers.invoke(TRUSTED, 'previewData', [
        { source: `csv:${path.join(outside, 'secret.csv')}` },
        nextChosen,
      ]),
      'forbidden',
    );
    expectRefused(
      await handlers.invoke(TRUSTED, 'previewData', [{ source: 'csv:link-out/secret.csv' }, nextChosen]),
      'forbidden',
    );
  });

  it('the chosen folder does not open its parent, its symlinks out, or dangling links out', async () => {
    const attempts = [
      path.join(chosenDir, '..', 'private', 'secret.netwright.json'),
      path.join(chosenDir, 'link-out', 'secret.netwright.json'),
      path.join(chosenDir, 'secret-link.netwright.json'),
    ];
    for (const p of attempts) expectRefused(await handlers.invoke(TRUSTED, 'openProject', [p]), 'forbidden');
    const example = JSON.parse(await fs.readFile(EXAMPLE, 'utf8'));
    for (const p of [
      path.join(chosenDir, 'link-out', 'new.netwright.json'),
      path.join(chosenDir, 'planted.netwright.json'),
      path.join(chosenDir, 'dangling-dir', 'x.netwright.json'),
    ]) {
      const reply = await handlers.invoke(TRUSTED, 'saveProject', [p, example]);
      expectRefused(reply, 'forbidden');
    }
    for (const req of [
      { project: example, onnxPath: path.join(chosenDir, 'link-out', 'm.onnx') },
      { project: example, tfjsDir: path.join(chosenDir, 'dangling-dir', 'tfjs') },
      { project: example, onnxPath: path.join(outside, 'm.onnx') },
    ]) {
      expectRefused(await handlers.invoke(TRUSTED, 'exportModel', [req]), 'forbidden');
    }
    expect((await fs.readdir(outside)).sort()).toEqual(['secret.csv', 'secret.netwright.json']);
    expectRefused(
      await handlers.invoke(TRUSTED, 'host.setDocument', [
        { path: path.join(outside, 'secret.netwright.json'), dirty: false },
      ]),
      'forbidden',
    );
  });

  it('a cancelled dialog grants nothing', async () => {
    nextChosen = null;
    expect(await handlers.invoke(TRUSTED, 'host.saveDialog', ['x.netwright.json'])).toEqual({
      ok: true,
      result: null,
    });
    expectRefused(
      await handlers.invoke(TRUSTED, 'openProject', [path.join(outside, 'secret.netwright.json')]),
      'forbidden',
    );
  });
});
