// A request explain understood but can't honour (a method that does not fit the run's data, an
// unknown class or layer): EngineError 'invalid', so the hosts pass it on and the CLI exits 1.
import { EngineError } from '../api.ts';

export const invalid = (message: string) => new EngineError({ code: 'invalid', message });
