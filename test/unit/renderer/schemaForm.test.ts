import { describe, expect, it } from 'vitest';
import { describeField, initialObject, rootProperties, typeLabel, type Schema } from '../../../renderer/src/lib/schemaForm.ts';
import { demoTools } from '../../e2e/helpers/demoTools.ts';

const schemaOf = (name: string): Schema => {
  const schema = demoTools.find((tool) => tool.name === name)?.inputSchema;
  if (!schema) throw new Error(`no demo tool ${name}`);
  return schema;
};
const fieldOf = (root: Schema, name: string) => describeField(rootProperties(root).find((property) => property.name === name)!.schema, root);

describe('describeField', () => {
  it('reads a nullable enum with a default as a select whose options carry the value descriptions', () => {
    const root = schemaOf('ListProjects');
    const status = fieldOf(root, 'status');
    expect(status).toMatchObject({ kind: 'enum', nullable: true, default: 'IN_PROGRESS', description: 'Where a task is in its life.' });
    expect(status.options).toEqual([
      { value: 'TODO', description: 'Not started yet.' },
      { value: 'IN_PROGRESS', description: 'Someone is working on it.' },
      { value: 'DONE', description: 'Finished.' },
    ]);
  });

  it('follows $ref into $defs and names the input type', () => {
    const root = schemaOf('CreateTask');
    const input = fieldOf(root, 'input');
    expect(input).toMatchObject({ kind: 'object', typeName: 'NewTask' });
    expect(input.properties?.filter((property) => property.required).map((property) => property.name)).toEqual(['projectId', 'title']);
  });

  it('reads a @oneOf input object as a choice of exactly one property', () => {
    const root = schemaOf('FindUser');
    expect(fieldOf(root, 'by')).toMatchObject({ kind: 'oneOf', typeName: 'UserLookup' });
    expect(fieldOf(root, 'by').properties?.map((property) => property.name)).toEqual(['id', 'email']);
  });

  it('unwraps anyOf [ref, null] to the nullable referenced type', () => {
    const root = schemaOf('SearchTasks');
    expect(fieldOf(root, 'where')).toMatchObject({ kind: 'object', typeName: 'TaskQuery', nullable: true });
  });

  it('reads an ID (string or integer) as text, a mapped custom scalar by its type, and one without a type as any value', () => {
    const root = schemaOf('CreateTask');
    const input = fieldOf(root, 'input');
    const property = (name: string) => describeField(input.properties!.find((candidate) => candidate.name === name)!.schema, root);
    expect(property('projectId')).toMatchObject({ kind: 'string', acceptsInteger: true });
    expect(typeLabel(property('projectId'), root)).toBe('ID (string or integer)');
    // The demo maps DateTime to a date-time string (customScalars); an unmapped scalar has only its description.
    expect(property('dueAt').kind).toBe('string');
    expect(describeField({ description: 'JSON scalar: any JSON value' }, root).kind).toBe('any');
    expect(typeLabel(property('tags'), root)).toBe('list of string');
  });
});

describe('initialObject', () => {
  it('starts with defaults and the required parts of required input objects, leaving optional ones out', () => {
    expect(initialObject(rootProperties(schemaOf('CreateTask')), schemaOf('CreateTask'))).toEqual({ input: { priority: 'MEDIUM', tags: [] } });
    expect(initialObject(rootProperties(schemaOf('SearchTasks')), schemaOf('SearchTasks'))).toEqual({ orderBy: 'DUE_AT', first: 10 });
    expect(initialObject(rootProperties(schemaOf('FindUser')), schemaOf('FindUser'))).toEqual({ by: {} });
  });
});
