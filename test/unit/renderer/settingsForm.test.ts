import { describe, expect, it } from 'vitest';
import type { SettingsView } from '../../../electron/ipc/contract.ts';
import { mapSettingsErrors } from '../../../renderer/src/lib/settingsErrors.ts';
import { toDraft, toPatch } from '../../../renderer/src/lib/settingsDraft.ts';
import { sampleState } from '../../e2e/helpers/sampleState.ts';

const settings: SettingsView = sampleState.settings;

describe('mapSettingsErrors', () => {
  it('puts each problem line at the field its config key names, without file, line and key', () => {
    const message = [
      'Not saved: error: /home/alice/.config/graphql-mcp-desktop/config.yaml:6: "apis[0].endpoint" must be an absolute http(s) URL (apis[0].endpoint)',
      'error: /home/alice/.config/graphql-mcp-desktop/config.yaml:2: must be a whole number from 0 to 65535 (server.port)',
      'error: config.yaml:14: unknown strategy (apis[1].token.strategy)',
      'error: config.yaml:15: not a URI (apis[1].token.audience)',
      'error: config.yaml:20: must be ask, allow or deny (approvals.default)',
      'something without a key',
    ].join('\n');
    expect(mapSettingsErrors(message, settings)).toEqual({
      byField: {
        'apis.tasks.endpoint': '"apis[0].endpoint" must be an absolute http(s) URL',
        port: 'must be a whole number from 0 to 65535',
        'apis.directory.tokenStrategy': 'unknown strategy',
        'apis.directory.audience': 'not a URI',
        'approvals.default': 'must be ask, allow or deny',
      },
      general: ['something without a key'],
    });
  });
});

describe('toPatch', () => {
  it('is empty when nothing changed, and carries only what changed', () => {
    const draft = toDraft(settings);
    expect(toPatch(draft, settings)).toEqual({});
    draft.port = ' 47400 ';
    draft.approvalApis.directory = '';
    draft.apis[0]!.operations = './operations/tasks\n  ./more  \n';
    expect(toPatch(draft, settings)).toEqual({ port: 47400, approvals: { apis: {} }, apis: [{ name: 'tasks', operations: ['./operations/tasks', './more'] }] });
  });
});
