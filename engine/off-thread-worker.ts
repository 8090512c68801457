// Worker-thread side of off-thread.ts: answers each call with its result or its error as data, so
// heavy engine work (a large CSV preview, inspecting a huge graph) never runs on the host's loop.
import { parentPort } from 'node:worker_threads';
import { EngineError } from './api.ts';
import { previewDataForApi } from './data/api-preview.ts';
import { inspectRequest } from './graph/inspect-request.ts';
import type { OffThreadCall, OffThreadReply, OffThreadRequest } from './off-thread.ts';

const port = parentPort!;

async function run(call: OffThreadCall): Promise<unknown> {
  switch (call.method) {
    case 'previewData':
      return previewDataForApi(call.data, call.projectPath);
    case 'inspect':
      return inspectRequest(call.graph);
  }
}

port.on('message', (req: OffThreadRequest) => {
  run(req.call).then(
    (result) => port.postMessage({ id: req.id, result } satisfies OffThreadReply),
    (err: unknown) =>
      port.postMessage({
        id: req.id,
        ...(err instanceof EngineError
          ? { error: err.data }
          : { crash: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
      } satisfies OffThreadReply),
  );
});
