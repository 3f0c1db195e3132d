import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApiConfig } from '../../../electron/core/config/AppConfig.ts';
import { buildTools } from '../../../electron/core/graphql/buildTools.ts';
import { parseSchemaSdl } from '../../../electron/core/graphql/parseSchemaSdl.ts';
import { testApi } from './testApi.ts';

// Golden cases: test/fixtures/operations/<case>/{schema.graphql, *.graphql, config.json?, tool.json, problems.json?}.
// UPDATE_GOLDEN=1 rewrites tool.json; review every rewritten file before committing it.
const fixtures = join(import.meta.dirname, '../../fixtures/operations');
const update = process.env.UPDATE_GOLDEN === '1';

function runCase(folder: string) {
  const schemaFile = join(folder, 'schema.graphql');
  const { schema } = parseSchemaSdl(readFileSync(schemaFile, 'utf8'), 'schema.graphql');
  const configFile = join(folder, 'config.json');
  const overrides = existsSync(configFile) ? (JSON.parse(readFileSync(configFile, 'utf8')) as Partial<ApiConfig>) : {};
  const documents = readdirSync(folder)
    .filter((name) => name.endsWith('.graphql') && name !== 'schema.graphql')
    .sort()
    .map((name) => ({ file: name, text: readFileSync(join(folder, name), 'utf8') }));
  return buildTools(documents, schema, testApi(overrides));
}

describe('operationToTool', () => {
  for (const name of readdirSync(fixtures).sort()) {
    it(`generates the whole tool definition when the case is ${name}`, () => {
      const folder = join(fixtures, name);
      const { tools, problems } = runCase(folder);
      const problemsFile = join(folder, 'problems.json');
      expect(problems).toEqual(existsSync(problemsFile) ? JSON.parse(readFileSync(problemsFile, 'utf8')) : []);
      const toolFile = join(folder, 'tool.json');
      const expected = tools.length === 1 ? tools[0] : tools;
      if (update) writeFileSync(toolFile, `${JSON.stringify(expected, null, 2)}\n`);
      expect(expected).toEqual(JSON.parse(readFileSync(toolFile, 'utf8')));
    });
  }
});
