/**
 * Every string field of every schema a client's input passes through refuses
 * U+0000 (PostgreSQL cannot store it): found by walking the schemas, so a
 * field added later without `safeString()` fails here.
 */
import { describe, expect, it } from 'vitest';
import * as schemas from './schemas.js';
import { NUL_REFUSAL, z } from './schemas.js';

type Schema = z.ZodType;

interface Def {
  type: string;
  shape?: Record<string, Schema>;
  innerType?: Schema;
  element?: Schema;
  in?: Schema;
  out?: Schema;
  options?: Schema[];
  left?: Schema;
  right?: Schema;
}
const defOf = (schema: Schema) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Every string schema inside `schema`, by its path. */
function stringLeaves(schema: Schema, path: string, found: Map<string, Schema>): void {
  const def = defOf(schema);
  if (def.type === 'string') {
    found.set(path, schema);
    return;
  }
  const children: [string, Schema | undefined][] = [
    ...Object.entries(def.shape ?? {}).map(([key, child]): [string, Schema] => [`${path}.${key}`, child]),
    [path, def.innerType],
    [`${path}[]`, def.element],
    [path, def.in],
    [path, def.out],
    [path, def.left],
    [path, def.right],
    ...(def.options ?? []).map((option, i): [string, Schema] => [`${path}|${i}`, option]),
  ];
  for (const [childPath, child] of children) if (child) stringLeaves(child, childPath, found);
}

const isSchema = (value: unknown): value is Schema => value instanceof z.ZodType;

function allStringFields(): Map<string, Schema> {
  const found = new Map<string, Schema>();
  for (const [name, value] of Object.entries(schemas)) {
    if (isSchema(value)) stringLeaves(value, name, found);
    else if (value && typeof value === 'object' && Object.values(value).every(isSchema)) {
      for (const [frame, schema] of Object.entries(value as Record<string, Schema>))
        stringLeaves(schema, `${name}['${frame}']`, found);
    }
  }
  return found;
}

describe('NUL characters', () => {
  const fields = allStringFields();

  it('finds the string fields of every schema (the walk reaches them)', () => {
    expect(fields.size).toBeGreaterThan(25);
    expect([...fields.keys()]).toEqual(
      expect.arrayContaining([
        "visitorFrameData['message.send'].text",
        "visitorFrameData['typing.set'].preview",
        'widgetSessionRequest.page.title',
        'updateSiteRequest.settings.greeting.hy',
        'updateSiteRequest.allowedOrigins[]',
        'clientFrameEnvelope.ref',
      ]),
    );
  });

  it.each([...fields.keys()])('%s refuses text containing U+0000', (path) => {
    const result = fields.get(path)?.safeParse(`a${String.fromCharCode(0)}b`);
    expect(result?.success).toBe(false);
    expect(result?.error?.issues.map((i) => i.message)).toContain(NUL_REFUSAL);
  });
});
