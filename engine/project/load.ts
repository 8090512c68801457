// Parsing, migration and validation of project documents. Every problem is reported as a
// ProjectProblem with a JSON path; nothing here throws for bad input.
import { projectSchema, CURRENT_VERSION, type Project } from './schema.ts';
import { migrations, type Migration } from './migrations.ts';
import { formatPath } from './path-format.ts';
import { depthProblem, savedSizeProblem } from './document-limits.ts';
import { nestBlocks } from './block-nesting.ts';

export interface ProjectProblem {
  /** JSON path such as `graph.nodes[2].params.units`, or `` for the whole document. */
  path: string;
  message: string;
}

export type LoadResult = { ok: true; project: Project } | { ok: false; problems: ProjectProblem[] };

export { formatPath };

/** A zod issue in user words: a missing field says so instead of "received undefined". */
export function describeIssue(issue: {
  code: string;
  message: string;
  path: readonly PropertyKey[];
  expected?: unknown;
}): string {
  if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) {
    const key = issue.path[issue.path.length - 1];
    const what = typeof key === 'number' ? `Item ${key}` : `"${String(key ?? 'value')}"`;
    return `${what} is missing; it must be ${issue.expected === 'object' ? 'an object' : issue.expected === 'array' ? 'a list' : `a ${String(issue.expected)}`}.`;
  }
  return issue.message.replace(/^Invalid input: /, 'Invalid value: ');
}

/**
 * Validate an already-parsed JSON value as a project, migrating older versions first. `steps` is
 * the migration table (tests pass their own; the real one is in migrations.ts).
 */
export function projectFromJson(
  value: unknown,
  steps: Readonly<Record<number, Migration>> = migrations,
): LoadResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      ok: false,
      problems: [{ path: '', message: 'The file is not a Netwright project: expected a JSON object.' }],
    };
  }
  // Before anything else walks it: a document nested too deep is refused whole, the same on open
  // and on save (document-limits.ts); its saved size is checked once it is known to be a project.
  const deep = depthProblem(value);
  if (deep) return { ok: false, problems: [deep] };
  const doc = value as Record<string, unknown>;
  if (doc.format !== 'netwright') {
    return {
      ok: false,
      problems: [
        { path: 'format', message: 'The file is not a Netwright project: "format" must be "netwright".' },
      ],
    };
  }
  const version = doc.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    return {
      ok: false,
      problems: [
        {
          path: 'version',
          message: `"version" must be a whole number, the format version (${CURRENT_VERSION} for this Netwright).`,
        },
      ],
    };
  }
  if (version > CURRENT_VERSION) {
    return {
      ok: false,
      problems: [
        {
          path: 'version',
          message: `This project was saved by a newer Netwright (format version ${version}); this version reads up to ${CURRENT_VERSION}. Please update Netwright.`,
        },
      ],
    };
  }
  let migrated: Record<string, unknown> = doc;
  for (let v = version; v < CURRENT_VERSION; v++) {
    const step = steps[v];
    if (!step) {
      return {
        ok: false,
        problems: [
          {
            path: 'version',
            message: `This project uses format version ${version}, which this Netwright cannot convert (there is no step from version ${v} to ${v + 1}); it reads format version ${CURRENT_VERSION}.`,
          },
        ],
      };
    }
    // A step returns a version-(v+1) document; the version field is set here so no step forgets it.
    try {
      migrated = { ...step(migrated), version: v + 1 };
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      return {
        ok: false,
        problems: [
          {
            path: '',
            message: `This project could not be converted from format version ${v} to ${v + 1} (${detail}).`,
          },
        ],
      };
    }
  }
  const parsed = projectSchema.safeParse(migrated);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => ({
        path: formatPath(issue.path),
        message: describeIssue(issue),
      })),
    };
  }
  const problems = checkReferences(parsed.data);
  if (problems.length) return { ok: false, problems };
  // Measured on what saveProject would write (defaults filled in), so open and save agree.
  const tooLarge = savedSizeProblem(parsed.data);
  if (tooLarge) return { ok: false, problems: [tooLarge] };
  return { ok: true, project: parsed.data };
}

/** Structural integrity the schema can't express: unique ids, edges pointing at existing nodes. */
function checkReferences(project: Project): ProjectProblem[] {
  const problems: ProjectProblem[] = [];
  const ids = new Set<string>();
  project.graph.nodes.forEach((node, i) => {
    if (ids.has(node.id)) {
      problems.push({
        path: `graph.nodes[${i}].id`,
        message: `Node id "${node.id}" is used more than once; ids must be unique.`,
      });
    }
    ids.add(node.id);
  });
  const edgeIds = new Set<string>();
  project.graph.edges.forEach((edge, i) => {
    if (edgeIds.has(edge.id)) {
      problems.push({
        path: `graph.edges[${i}].id`,
        message: `Edge id "${edge.id}" is used more than once; ids must be unique.`,
      });
    }
    edgeIds.add(edge.id);
    if (!ids.has(edge.source)) {
      problems.push({
        path: `graph.edges[${i}].source`,
        message: `Edge "${edge.id}" starts at node "${edge.source}", which does not exist.`,
      });
    }
    if (!ids.has(edge.target)) {
      problems.push({
        path: `graph.edges[${i}].target`,
        message: `Edge "${edge.id}" ends at node "${edge.target}", which does not exist.`,
      });
    }
  });
  const blockIds = new Set<string>();
  const blocks = project.blocks ?? [];
  blocks.forEach((block, b) => {
    if (blockIds.has(block.id)) {
      problems.push({
        path: `blocks[${b}].id`,
        message: `Block id "${block.id}" is used more than once; ids must be unique.`,
      });
    }
    blockIds.add(block.id);
    block.nodes.forEach((nodeId, i) => {
      if (!ids.has(nodeId)) {
        problems.push({
          path: `blocks[${b}].nodes[${i}]`,
          message: `Block "${block.name}" holds node "${nodeId}", which does not exist.`,
        });
      }
    });
  });
  for (const p of nestBlocks(blocks, (id) => ids.has(id)).problems) {
    problems.push({
      path: p.node === undefined ? `blocks[${p.block}].nodes` : `blocks[${p.block}].nodes[${p.node}]`,
      message: p.message,
    });
  }
  return problems;
}

/** Parse project text (UTF-8 JSON). */
export function projectFromText(text: string): LoadResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    return { ok: false, problems: [{ path: '', message: `The file is not valid JSON (${detail}).` }] };
  }
  return projectFromJson(value);
}

/** Serialise a project for saving: stable two-space JSON with a trailing newline. */
export function projectToText(project: Project): string {
  return JSON.stringify(project, null, 2) + '\n';
}
