// https://github.com/graphql-mcp-desktop/graphql-mcp-desktop/issues/7 item 6: a YAML syntax error names its column too.
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../../electron/core/config/AppConfig.ts';
import { parseConfig } from '../../../electron/core/config/parseConfig.ts';

describe('parseConfig, YAML syntax errors (issue 7)', () => {
  it('carries the line and column of the error, and formatProblem prints file:line:column', () => {
    const { problems } = parseConfig('apis:\n  - name: "unclosed\n', { file: '/x/config.yaml', env: {} });
    expect(problems[0]).toMatchObject({ line: expect.any(Number), column: expect.any(Number), message: expect.stringContaining('YAML syntax') });
    expect(formatProblem(problems[0]!)).toMatch(/^error: \/x\/config\.yaml:\d+:\d+: YAML syntax/);
  });

  it('prints file:line without a column for problems that have none', () => {
    expect(formatProblem({ severity: 'error', file: 'c.yaml', line: 3, message: 'm' })).toBe('error: c.yaml:3: m');
  });
});
