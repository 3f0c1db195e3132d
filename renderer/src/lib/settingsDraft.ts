import type { ApiSettingsView, ApprovalPolicy, SettingsPatch, SettingsView } from '../../../electron/ipc/contract.ts';

/** The Settings form's editable copy: text where the user types, so half-typed values never reach the app. */
export interface SettingsDraft {
  port: string;
  approvalDefault: ApprovalPolicy;
  /** Per API: a policy, or '' to follow the default. */
  approvalApis: Record<string, ApprovalPolicy | ''>;
  apis: ApiDraft[];
}

export interface ApiDraft {
  name: string;
  endpoint: string;
  /** One folder or file per line. */
  operations: string;
  mutations: ApiSettingsView['mutations'];
  tokenStrategy: ApiSettingsView['tokenStrategy'];
  audience: string;
}

export function toDraft(settings: SettingsView): SettingsDraft {
  return {
    port: String(settings.port),
    approvalDefault: settings.approvals.default,
    approvalApis: Object.fromEntries(settings.apis.map((api) => [api.name, settings.approvals.apis[api.name] ?? ''])),
    apis: settings.apis.map((api) => ({
      name: api.name,
      endpoint: api.endpoint,
      operations: api.operations.join('\n'),
      mutations: api.mutations,
      tokenStrategy: api.tokenStrategy,
      audience: api.audience ?? '',
    })),
  };
}

/** Only what changed; the app validates it like the config file and answers with the new settings or the problems. */
export function toPatch(draft: SettingsDraft, settings: SettingsView): SettingsPatch {
  const patch: SettingsPatch = {};
  if (draft.port.trim() !== String(settings.port)) patch.port = Number(draft.port.trim());
  const apiPolicies = Object.fromEntries(Object.entries(draft.approvalApis).filter((entry): entry is [string, ApprovalPolicy] => entry[1] !== ''));
  const approvals: NonNullable<SettingsPatch['approvals']> = {};
  if (draft.approvalDefault !== settings.approvals.default) approvals.default = draft.approvalDefault;
  if (JSON.stringify(sortKeys(apiPolicies)) !== JSON.stringify(sortKeys(settings.approvals.apis))) approvals.apis = apiPolicies;
  if (Object.keys(approvals).length > 0) patch.approvals = approvals;
  const apis = draft.apis.flatMap((api) => {
    const before = settings.apis.find((candidate) => candidate.name === api.name);
    const change = before ? apiChange(api, before) : undefined;
    return change ? [change] : [];
  });
  if (apis.length > 0) patch.apis = apis;
  return patch;
}

function apiChange(draft: ApiDraft, before: ApiSettingsView): (Partial<ApiSettingsView> & { name: string }) | undefined {
  const change: Partial<ApiSettingsView> & { name: string } = { name: draft.name };
  const operations = draft.operations.split('\n').map((line) => line.trim()).filter(Boolean);
  if (draft.endpoint.trim() !== before.endpoint) change.endpoint = draft.endpoint.trim();
  if (operations.join('\n') !== before.operations.join('\n')) change.operations = operations;
  if (draft.mutations !== before.mutations) change.mutations = draft.mutations;
  if (draft.tokenStrategy !== before.tokenStrategy) change.tokenStrategy = draft.tokenStrategy;
  if (draft.audience.trim() !== (before.audience ?? '')) change.audience = draft.audience.trim();
  return Object.keys(change).length > 1 ? change : undefined;
}

function sortKeys(record: Record<string, unknown>): [string, unknown][] {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}
