// Worker-thread side of previewDataOffThread (preview-off-thread.ts): answers each preview request
// with the preview or the error as data, so parsing a large CSV never runs on the host's event loop.
import { parentPort } from 'node:worker_threads';
import { EngineError } from '../api.ts';
import { previewDataForApi } from './api-preview.ts';
import type { PreviewReply, PreviewRequest } from './preview-off-thread.ts';

const port = parentPort!;
port.on('message', (req: PreviewRequest) => {
  previewDataForApi(req.data, req.projectPath).then(
    (preview) => port.postMessage({ id: req.id, preview } satisfies PreviewReply),
    (err: unknown) =>
      port.postMessage({
        id: req.id,
        ...(err instanceof EngineError
          ? { error: err.data }
          : { crash: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
      } satisfies PreviewReply),
  );
});
