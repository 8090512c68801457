// Web mode's Download button for a file the engine wrote (docs/ARCHITECTURE.md, "Predict tab").
import { useState } from 'react';
import { errorMessage } from '../engine/client.ts';
import { downloadWorkspaceFile } from '../engine/download.ts';

/** Web mode: the written file (a folder as a zip), fetched from the server and saved by the browser. */
export function DownloadButton({ path, testId, label }: { path: string; testId: string; label: string }) {
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <>
      {' '}
      <button
        className="btn"
        data-testid={testId}
        onClick={() => {
          setProblem(null);
          downloadWorkspaceFile(path).catch((err: unknown) => setProblem(errorMessage(err)));
        }}
      >
        {label}
      </button>
      {problem && <span role="alert"> {problem}</span>}
    </>
  );
}
