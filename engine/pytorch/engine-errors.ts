// The PyTorch package's failures as EngineErrors, so hosts show the sentence (not "unexpected error").
import { EngineError } from '../api.ts';
import { DataError } from '../data/types.ts';
import { RunReadError } from '../runs/run-dir.ts';

export async function withEngineErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof RunReadError) throw new EngineError({ code: 'unreadable', message: err.message });
    if (err instanceof DataError) throw new EngineError({ code: err.kind, message: err.message });
    throw err;
  }
}
