// Web mode's calls as JSON bytes in and out (server/http.ts). Most bodies and answers are small and
// go through callMethod; those that can be many MB (inspecting a huge graph, opening a large
// project) are parsed, worked and serialised in the engine's work thread (engine/off-thread.ts), so
// the server's event loop only moves bytes (docs/ARCHITECTURE.md, Decisions).
import { promises as fs } from 'node:fs';
import type { EngineApi } from './api.ts';
import { argsFromJsonBody, checkArgs } from './api-args.ts';
import { callMethod, METHOD_ARGS, type MethodName, type PathPolicy } from './api-methods.ts';
import { inspectJsonOffThread, openProjectJsonOffThread } from './off-thread.ts';

/** Request bodies and project files up to this size are handled on the caller's thread (well under 10 ms of JSON). */
export const INLINE_JSON_BYTES = 64 * 1024;

/** The reply body `{ "result": … }` of `method` called with the request body `body`. */
export async function callMethodJson(
  engine: EngineApi,
  method: MethodName,
  body: Uint8Array,
  policy: PathPolicy,
): Promise<Uint8Array | string> {
  if (method === 'inspect' && body.length > INLINE_JSON_BYTES) return inspectJsonOffThread(body);
  const args = argsFromJsonBody(body);
  if (method === 'openProject') {
    const [clientPath] = checkArgs(method, METHOD_ARGS.openProject, args);
    const file = await policy.resolve(clientPath, 'project file');
    const size = await fs.stat(file).then(
      (s) => s.size,
      () => 0,
    );
    // A large file is read, validated and serialised off this thread; a small one (or a path that
    // fails to stat, which openProject explains) does not queue behind a long preview there.
    if (size > INLINE_JSON_BYTES) return openProjectJsonOffThread(file);
    return JSON.stringify({ result: await engine.openProject(file) });
  }
  const result = await callMethod(engine, method, args, policy);
  return JSON.stringify({ result: result ?? null });
}
