import { describe, expect, it } from 'vitest';
import type { SettingsView } from '../../../electron/ipc/contract.ts';
import { mapSettingsErrors } from '../../../renderer/src/lib/settingsErrors.ts';
import { emptyNewApi, toDraft, toPatch } from '../../../renderer/src/lib/settingsDraft.ts';
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

describe('sign-in and new APIs in the form', () => {
  it('sends only the sign-in keys that changed; emptied resource is null, emptied issuer and client ID remove sign-in', () => {
    const draft = toDraft(settings);
    draft.signIn.scopes = ' openid  email ';
    draft.signIn.resource = 'https://mcp.example.com';
    expect(toPatch(draft, settings)).toEqual({ signIn: { scopes: ['openid', 'email'], resource: 'https://mcp.example.com' } });
    const withResource = { ...settings, signIn: { ...settings.signIn!, resource: 'https://mcp.example.com' } };
    const cleared = toDraft(withResource);
    cleared.signIn.resource = ' ';
    expect(toPatch(cleared, withResource)).toEqual({ signIn: { resource: null } });
    cleared.signIn.issuer = '';
    cleared.signIn.clientId = '';
    expect(toPatch(cleared, withResource)).toEqual({ signIn: null });
    const none = { ...settings, signIn: undefined };
    expect(toPatch(toDraft(none), none)).toEqual({});
  });

  it('sends a new API with its schema source, operations one per line, and maps its problems to its place in the form', () => {
    const draft = toDraft(settings);
    draft.newApis.push({ ...emptyNewApi(), name: ' billing ', endpoint: 'https://billing.example.com/graphql', schema: 'file', schemaFile: './billing.graphql', operations: './ops/billing\n' });
    expect(toPatch(draft, settings)).toEqual({
      addApis: [{ name: 'billing', endpoint: 'https://billing.example.com/graphql', schema: { file: './billing.graphql' }, operations: ['./ops/billing'], mutations: 'none', tokenStrategy: 'none' }],
    });
    const message = [
      'Not saved: error: /c/config.yaml:30: duplicate API name "tasks" (also apis[0]) (apis[2].name)',
      'error: /c/config.yaml:31: "apis[2].schema.file" cannot be read (apis[2].schema.file)',
      'error: /c/config.yaml:12: "signIn.issuer" must use https: (signIn.issuer)',
    ].join('\n');
    expect(mapSettingsErrors(message, settings, 1).byField).toEqual({
      'new.0.name': 'duplicate API name "tasks" (also apis[0])',
      'new.0.schema': '"apis[2].schema.file" cannot be read',
      'signIn.issuer': '"signIn.issuer" must use https:',
    });
  });
});
