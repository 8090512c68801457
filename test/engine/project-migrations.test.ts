// The migration loop of the project loader. The real table (engine/project/migrations.ts) starts at
// v1 → v2 (named ports, test/engine/named-ports-format.test.ts), so these tests hand projectFromJson
// a table with an imagined v0 → v1 step before the real one: version 0 kept its layers in a flat
// "layers" list and its connections as "links" [from, to].
import { describe, expect, it } from 'vitest';
import { projectFromJson } from '../../engine/project/load.ts';
import { migrations, namePorts, type Migration } from '../../engine/project/migrations.ts';
import { CURRENT_VERSION } from '../../engine/project/schema.ts';

const v0ToV1: Migration = (doc) => {
  const { layers, links, ...rest } = doc as {
    layers: { id: string; type: string; params?: object }[];
    links: [string, string][];
  };
  return {
    ...rest,
    graph: {
      nodes: layers,
      edges: links.map(([source, target], i) => ({ id: `e${i}`, source, target })),
    },
  };
};

const versionZero = () => ({
  format: 'netwright',
  version: 0,
  name: 'Old project',
  notes: 'a key the format does not know, kept',
  layers: [
    { id: 'in', type: 'Input', params: { shape: [4] } },
    { id: 'd', type: 'Dense', params: { units: 3, activation: 'softmax' } },
    { id: 'out', type: 'Output', params: { loss: 'categoricalCrossentropy' } },
  ],
  links: [
    ['in', 'd'],
    ['d', 'out'],
  ],
});

describe('project format migrations', () => {
  it('this Netwright reads format version 4 and its own table starts at the v1 → v2 step', () => {
    expect(CURRENT_VERSION).toBe(4);
    expect(Object.keys(migrations)).toEqual(['1', '2', '3']);
  });

  it('loads a version-0 document through an injected v0 → v1 step', () => {
    const seen: number[] = [];
    const result = projectFromJson(versionZero(), {
      ...migrations,
      0: (doc) => {
        seen.push(doc.version as number);
        return v0ToV1(doc);
      },
      1: (doc) => {
        seen.push(doc.version as number);
        return namePorts(doc);
      },
    });
    expect(seen).toEqual([0, 1]); // the loop set version 1 between the steps
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const p = result.project;
    expect(p.version).toBe(CURRENT_VERSION); // set by the loop: no step touched "version"
    expect(p.name).toBe('Old project');
    expect(p.graph.nodes.map((n) => n.id)).toEqual(['in', 'd', 'out']);
    expect(p.graph.edges).toEqual([
      { id: 'e0', source: 'in', target: 'd' },
      { id: 'e1', source: 'd', target: 'out' },
    ]);
    expect((p as Record<string, unknown>).notes).toBe('a key the format does not know, kept');
    expect(p).not.toHaveProperty('layers');
  });

  it('validates what a step produced, with JSON paths', () => {
    const result = projectFromJson(versionZero(), {
      ...migrations,
      0: (doc) => ({ ...v0ToV1(doc), name: 42 }),
      1: namePorts,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([expect.objectContaining({ path: 'name' })]);
  });

  it('refuses a version-0 document with the real table (no v0 step) in one sentence', () => {
    const result = projectFromJson(versionZero());
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          path: 'version',
          message:
            'This project uses format version 0, which this Netwright cannot convert (there is no step from version 0 to 1); it reads format version 4.',
        },
      ],
    });
  });

  it('reports a step that throws as one sentence instead of crashing', () => {
    const result = projectFromJson(versionZero(), {
      ...migrations,
      0: () => {
        throw new Error('links must be pairs');
      },
    });
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          path: '',
          message: 'This project could not be converted from format version 0 to 1 (links must be pairs).',
        },
      ],
    });
  });

  it('refuses a newer version with its sentence, without running any step', () => {
    let ran = false;
    const result = projectFromJson(
      { ...versionZero(), version: CURRENT_VERSION + 1 },
      {
        0: (doc) => {
          ran = true;
          return doc;
        },
      },
    );
    expect(ran).toBe(false);
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          path: 'version',
          message: `This project was saved by a newer Netwright (format version ${CURRENT_VERSION + 1}); this version reads up to ${CURRENT_VERSION}. Please update Netwright.`,
        },
      ],
    });
  });

  it.each([-1, 1.5, '1', null])('refuses version %j as not a format version', (version) => {
    const result = projectFromJson({ ...versionZero(), version });
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          path: 'version',
          message: '"version" must be a whole number, the format version (4 for this Netwright).',
        },
      ],
    });
  });
});
