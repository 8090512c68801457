// Migration hook: migrations[v] turns a version-v document into a version-(v+1) one. Version 1 is
// the first format, so there is nothing to migrate yet; a future v2 adds `1: (doc) => ({...})` here.
export type Migration = (doc: Record<string, unknown>) => Record<string, unknown>;

export const migrations: Record<number, Migration> = {};
