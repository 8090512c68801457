// The first checks of every host call, shared by the hosts' thread and the engine's work thread
// (engine/off-thread.ts): a JSON request body to its argument list, the nesting limit applied before
// anything walks the arguments, and the sentence naming the first bad argument. Kept free of tfjs so
// the work thread loads it quickly.
import { z } from 'zod';
import { EngineError } from './api.ts';
import { depthProblem, MAX_DOCUMENT_DEPTH } from './project/document-limits.ts';

/** The argument list of a web-mode call's body, `{ "args": [...] }` (an empty body means no arguments). */
export function argsFromJsonBody(body: Uint8Array): unknown {
  if (body.length === 0) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(body));
  } catch {
    throw new EngineError({ code: 'invalid', message: 'The request body is not valid JSON.' });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new EngineError({
      code: 'invalid',
      message: 'The request body must be a JSON object { "args": [...] }.',
    });
  }
  return (parsed as { args?: unknown }).args ?? [];
}

/** EngineError 'invalid' naming the method and the first bad argument. */
export function badArgs(method: string, error: z.ZodError): EngineError {
  const issue = error.issues[0];
  const where = issue.path.length ? `argument ${issue.path.map(String).join('.')}` : 'the arguments';
  return new EngineError({
    code: 'invalid',
    message: `${method}: ${where} ${issue.message.replace(/^Invalid input: /, '').toLowerCase()}.`.replace(
      /\.\.$/,
      '.',
    ),
    problems: error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  });
}

/** `rawArgs` checked against `schema`: nesting first (a project plus the list and a request object), then shape. */
export function checkArgs<T extends z.ZodType>(method: string, schema: T, rawArgs: unknown): z.output<T> {
  const deep = depthProblem(rawArgs, 'The request', MAX_DOCUMENT_DEPTH + 2);
  if (deep) throw new EngineError({ code: 'invalid', message: deep.message });
  const parsed = schema.safeParse(rawArgs);
  if (!parsed.success) throw badArgs(method, parsed.error);
  return parsed.data;
}

/** inspect's outline only: the engine checks each node and edge (engine/graph/inspect-request.ts). */
export const inspectArgs = z.tuple([
  z.looseObject({ nodes: z.array(z.unknown()), edges: z.array(z.unknown()) }),
]);
