// Worker-thread side of off-thread.ts: answers each call with its result or its error as data, so
// heavy engine work (a large CSV preview, inspecting a huge graph) never runs on the host's loop.
import { parentPort } from 'node:worker_threads';
import { EngineError } from './api.ts';
import { argsFromJsonBody, checkArgs, inspectArgs } from './api-args.ts';
import { previewDataForApi } from './data/api-preview.ts';
import { inspectRequest } from './graph/inspect-request.ts';
import { openProjectFile } from './project/open-project.ts';
import type { OffThreadCall, OffThreadReply, OffThreadRequest } from './off-thread.ts';

const port = parentPort!;

/** A reply body in bytes of its own (TextEncoder never hands out a pooled buffer), so it can be transferred. */
const replyBytes = (result: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify({ result }));

async function run(call: OffThreadCall): Promise<unknown> {
  switch (call.method) {
    case 'previewData':
      return previewDataForApi(call.data, call.projectPath);
    case 'inspect':
      return inspectRequest(call.graph);
    case 'inspectJson': {
      const [graph] = checkArgs('inspect', inspectArgs, argsFromJsonBody(call.body));
      return replyBytes(inspectRequest(graph));
    }
    case 'openProjectJson':
      return replyBytes(await openProjectFile(call.path));
  }
}

port.on('message', (req: OffThreadRequest) => {
  run(req.call).then(
    (result) =>
      port.postMessage(
        { id: req.id, result } satisfies OffThreadReply,
        result instanceof Uint8Array ? [result.buffer as ArrayBuffer] : [],
      ),
    (err: unknown) =>
      port.postMessage({
        id: req.id,
        ...(err instanceof EngineError
          ? { error: err.data }
          : { crash: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
      } satisfies OffThreadReply),
  );
});
