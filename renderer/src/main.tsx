import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './styles.css';
import { App } from './App.tsx';
import { useEditor } from './state/editor-store.ts';

// Exposed for the UI benchmark (bench/ui-bench.ts) and debugging; the UI never reads it.
(window as unknown as { __netwright: unknown }).__netwright = { editor: useEditor };

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
