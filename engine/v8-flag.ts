// Setting a V8 flag from inside the process (Node's v8.setFlagsFromString), where the engine runs
// in Node or Electron's Node; in a browser there is no such call. Flags are process-wide: worker
// threads see what any thread set.

/** Set `flag` (e.g. '--interrupt-budget=8000'); false where this runtime cannot. */
export function setV8Flag(flag: string): boolean {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const v8 = proc?.getBuiltinModule?.('node:v8') as { setFlagsFromString?: (f: string) => void } | undefined;
  if (!v8?.setFlagsFromString) return false;
  v8.setFlagsFromString(flag);
  return true;
}
