// The desktop shell's settings and plumbing that need no Electron binary: the CSP and trusted-sender
// checklist (the window's webPreferences are checked in test/security/electron.test.ts),
// navigation/window.open blocking, the app:// protocol, the menu, window bounds, the main-process
// build, and electron-builder's own validation of electron-builder.yml (offline).
import { EventEmitter } from 'node:events';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { denyAllPermissions, hardenContents } from '../../electron/harden.ts';
import { menuTemplate } from '../../electron/menu.ts';
import { createAppProtocolHandler } from '../../electron/protocol.ts';
import { addRecent, loadWindowState, saveWindowState, visibleBounds } from '../../electron/window-state.ts';
import {
  APP_ENTRY,
  CONTENT_SECURITY_POLICY,
  isAppUrl,
  isTrustedFrame,
} from '../../electron/window-options.ts';
import { REPO } from './helpers.ts';

describe('security checklist', () => {
  it('the Content-Security-Policy allows nothing remote and no eval', () => {
    const directives = Object.fromEntries(
      CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]),
    );
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['script-src']).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|\*|'unsafe-eval'/);
  });

  it('only the app’s own page, in the top frame, is a trusted sender', () => {
    expect(isTrustedFrame({ url: APP_ENTRY, parent: null })).toBe(true);
    for (const url of [
      'https://netwright/index.html',
      'file:///index.html',
      'app://evil/index.html',
      'app:netwright',
      'not a url',
    ]) {
      expect(isAppUrl(url)).toBe(false);
    }
    expect(isTrustedFrame({ url: APP_ENTRY, parent: {} })).toBe(false);
    expect(isTrustedFrame(null)).toBe(false);
  });

  it('blocks navigation away from the app, new windows and webviews; sends https links to the browser', () => {
    const contents = new EventEmitter() as EventEmitter & {
      setWindowOpenHandler(h: (d: { url: string }) => { action: string }): void;
      openHandler?: (d: { url: string }) => { action: string };
    };
    contents.setWindowOpenHandler = (handler) => (contents.openHandler = handler);
    const opened: string[] = [];
    hardenContents(contents as never, (url) => opened.push(url));
    const nav = (event: string, url: string) => {
      let prevented = false;
      contents.emit(event, { preventDefault: () => (prevented = true) }, url);
      return prevented;
    };
    expect(nav('will-navigate', 'https://evil.example/')).toBe(true);
    expect(nav('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(nav('will-redirect', 'http://127.0.0.1:8080/')).toBe(true);
    expect(nav('will-navigate', 'app://netwright/index.html#/train')).toBe(false);
    expect(nav('will-attach-webview', 'app://netwright/')).toBe(true);
    expect(contents.openHandler!({ url: 'https://example.org/docs' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://example.org/docs']);
    let granted: boolean | undefined;
    denyAllPermissions(null, 'media', (g) => (granted = g));
    expect(granted).toBe(false);
  });
});

describe('app:// protocol', () => {
  it('serves the built renderer with the CSP and nothing outside it', async () => {
    const dist = await fs.mkdtemp(path.join(os.tmpdir(), 'nw-dist-'));
    await fs.writeFile(path.join(dist, 'index.html'), '<!doctype html><title>Netwright</title>');
    const handle = createAppProtocolHandler(dist);
    const page = await handle({ url: 'app://netwright/index.html' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await page.text()).toContain('<title>Netwright</title>');
    await fs.writeFile(path.join(dist, '..', 'nw-secret.txt'), 'secret');
    const escape = await handle({ url: 'app://netwright/%2e%2e/nw-secret.txt' });
    expect(escape.status).toBe(404);
    expect(await escape.text()).not.toContain('secret');
    await fs.rm(path.join(dist, '..', 'nw-secret.txt'));
    expect((await handle({ url: 'app://netwright/missing.js' })).status).toBe(404);
    await fs.rm(dist, { recursive: true });
  });
});

describe('native integration', () => {
  it('has File/Edit/View/Train/Help menus with the usual accelerators', () => {
    const sent: string[] = [];
    const template = menuTemplate({
      command: (c) => sent.push(c),
      open: () => sent.push('open-dialog'),
      openRecent: () => {},
      recent: () => ['/p/a.netwright.json'],
      about: () => {},
      isMac: false,
      isDev: false,
    });
    expect(template.map((m) => m.label ?? m.role)).toEqual(['&File', '&Edit', '&View', '&Train', 'help']);
    const items = template.flatMap(
      (m) => (m.submenu as { label?: string; accelerator?: string; click?: () => void }[]) ?? [],
    );
    const accel = Object.fromEntries(
      items.filter((i) => i.label && i.accelerator).map((i) => [i.label, i.accelerator]),
    );
    expect(accel).toMatchObject({
      'Open…': 'CmdOrCtrl+O',
      Save: 'CmdOrCtrl+S',
      'Save As…': 'CmdOrCtrl+Shift+S',
      Train: 'CmdOrCtrl+Enter',
      Stop: 'CmdOrCtrl+.',
      'Export ONNX…': 'CmdOrCtrl+E',
      Undo: 'CmdOrCtrl+Z',
      Redo: 'CmdOrCtrl+Shift+Z',
    });
    for (const label of ['Save', 'Train', 'Undo', 'Redo', 'Auto Layout', 'Fit View']) {
      items.find((i) => i.label === label)!.click!();
    }
    // Undo/redo reach the renderer (graph edits), not Electron's text-only roles.
    expect(sent).toEqual(['save', 'train', 'undo', 'redo', 'layout', 'fit']);
  });

  it('restores window bounds only when they are still on a screen, and keeps recent files', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nw-state-'));
    expect(await loadWindowState(dir)).toEqual({ recent: [] });
    await saveWindowState(dir, {
      bounds: { x: 100, y: 80, width: 1000, height: 700 },
      maximized: false,
      recent: ['/a'],
    });
    const state = await loadWindowState(dir);
    expect(state.bounds).toEqual({ x: 100, y: 80, width: 1000, height: 700 });
    const screenA = { x: 0, y: 0, width: 1920, height: 1080 };
    expect(visibleBounds(state.bounds, [screenA])).toEqual(state.bounds);
    expect(visibleBounds({ x: 5000, y: 80, width: 1000, height: 700 }, [screenA])).toBeUndefined();
    await fs.writeFile(path.join(dir, 'window-state.json'), '{"bounds":{"x":"NaN"}');
    expect(await loadWindowState(dir)).toEqual({ recent: [] });
    expect(addRecent(['/b', '/a', '/c'], '/a')).toEqual(['/a', '/b', '/c']);
    await fs.rm(dir, { recursive: true });
  });
});

describe('build and packaging', () => {
  it('builds main, preload and the engine worker; the built worker runs the engine', async () => {
    const { buildElectron } = (await import(path.join(REPO, 'electron/build.mjs'))) as {
      buildElectron(o: { quiet: boolean }): Promise<void>;
    };
    await buildElectron({ quiet: true });
    const dist = path.join(REPO, 'electron/dist');
    const preload = await fs.readFile(path.join(dist, 'preload.cjs'), 'utf8');
    // A sandboxed preload can require nothing but electron.
    expect([...preload.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])).toEqual(['electron']);
    expect(preload).toContain('exposeInMainWorld("netwright"');
    const worker = new Worker(path.join(dist, 'engine-worker.cjs'));
    const reply = await new Promise<{ ok: boolean; result: { id: string }[] }>((resolve, reject) => {
      worker.on('message', resolve);
      worker.on('error', reject);
      worker.postMessage({ id: 1, method: 'listExamples', args: [] });
    });
    await worker.terminate();
    expect(reply.ok).toBe(true);
    expect(reply.result.map((e) => e.id)).toContain('iris-mlp');
  });

  it('electron-builder accepts electron-builder.yml (its own schema, offline)', async () => {
    const { getConfig, validateConfiguration } = await import('app-builder-lib/out/util/config/config.js');
    const { DebugLogger } = await import('builder-util');
    const config = await getConfig(REPO, 'electron-builder.yml', null);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.mac?.target).toEqual(['dmg']);
    expect(config.fileAssociations).toEqual([expect.objectContaining({ ext: 'netwright.json' })]);
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining([
        '**/*.node',
        'node_modules/onnxruntime-node/**',
        'node_modules/@tensorflow/tfjs-node-gpu/**',
        'node_modules/webgpu/dist/**',
      ]),
    );
    // Each installer ships its own OS's dawn.node (WebGPU) and not the other four.
    const dawnDirs = ['darwin-universal', 'linux-x64', 'linux-arm64', 'win32-x64', 'win32-arm64'];
    for (const [os, own] of [
      ['linux', ['linux-x64', 'linux-arm64']],
      ['win', ['win32-x64', 'win32-arm64']],
      ['mac', ['darwin-universal']],
    ] as const) {
      const files = (config[os] as { files?: string[] }).files ?? [];
      const excluded = dawnDirs.filter((d) => files.some((f) => f.startsWith('!') && f.includes(d)));
      expect(excluded.sort()).toEqual(dawnDirs.filter((d) => !(own as readonly string[]).includes(d)).sort());
    }
    expect((config.files as { filter: string[] }[])[0].filter).toEqual(
      expect.arrayContaining(['electron/dist/**', 'renderer/dist/**', 'resources/examples/**']),
    );
    // …and the validation is real: a misspelt key is refused.
    await expect(
      validateConfiguration({ ...config, linnux: {} } as never, new DebugLogger(false)),
    ).rejects.toThrow(/linnux/);
  });
});
