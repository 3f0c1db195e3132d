import type { ApiSettingsView, ApprovalPolicy, NewApiSettings, SettingsPatch, SettingsView } from '../../../electron/ipc/contract.ts';

/** The Settings form's editable copy: text where the user types, so half-typed values never reach the app. */
export interface SettingsDraft {
  port: string;
  approvalDefault: ApprovalPolicy;
  /** Per API: a policy, or '' to follow the default. */
  approvalApis: Record<string, ApprovalPolicy | ''>;
  apis: ApiDraft[];
  signIn: SignInDraft;
  /** APIs being added, appended to the file's list on save. */
  newApis: NewApiDraft[];
}

/** Text fields; all empty means no sign-in (emptying issuer and client ID removes the block). */
export interface SignInDraft {
  issuer: string;
  clientId: string;
  /** Space-separated, as OAuth writes them. */
  scopes: string;
  resource: string;
}

export interface NewApiDraft extends ApiDraft {
  schema: 'file' | 'introspect';
  schemaFile: string;
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
    signIn: toSignInDraft(settings.signIn),
    newApis: [],
  };
}

function toSignInDraft(signIn: SettingsView['signIn']): SignInDraft {
  return { issuer: signIn?.issuer ?? '', clientId: signIn?.clientId ?? '', scopes: signIn?.scopes.join(' ') ?? '', resource: signIn?.resource ?? '' };
}

/** A blank new API: schema by introspection, no operations, no token until the user picks one. */
export function emptyNewApi(): NewApiDraft {
  return { name: '', endpoint: '', operations: '', mutations: 'none', tokenStrategy: 'none', audience: '', schema: 'introspect', schemaFile: '' };
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
  const signIn = signInChange(draft.signIn, settings.signIn);
  if (signIn !== undefined) patch.signIn = signIn;
  if (draft.newApis.length > 0) patch.addApis = draft.newApis.map(toNewApi);
  return patch;
}

/** The sign-in keys that changed; null when issuer and client ID were emptied (the block goes). */
function signInChange(draft: SignInDraft, before: SettingsView['signIn']): SettingsPatch['signIn'] {
  const issuer = draft.issuer.trim();
  const clientId = draft.clientId.trim();
  const scopes = lines(draft.scopes.replaceAll(/\s+/g, '\n'));
  const resource = draft.resource.trim();
  if (!issuer && !clientId) return before ? null : undefined;
  if (!before) return { issuer, clientId, scopes, ...(resource ? { resource } : {}) };
  const change: NonNullable<SettingsPatch['signIn']> = {};
  if (issuer !== before.issuer) change.issuer = issuer;
  if (clientId !== before.clientId) change.clientId = clientId;
  if (scopes.join(' ') !== before.scopes.join(' ')) change.scopes = scopes;
  if (resource !== (before.resource ?? '')) change.resource = resource || null;
  return Object.keys(change).length > 0 ? change : undefined;
}

function toNewApi(draft: NewApiDraft): NewApiSettings {
  const audience = draft.audience.trim();
  return {
    name: draft.name.trim(), endpoint: draft.endpoint.trim(),
    schema: draft.schema === 'introspect' ? { introspect: true } : { file: draft.schemaFile.trim() },
    operations: lines(draft.operations), mutations: draft.mutations, tokenStrategy: draft.tokenStrategy, ...(audience ? { audience } : {}),
  };
}

function lines(text: string): string[] {
  return text.split('\n').map((line) => line.trim()).filter(Boolean);
}

function apiChange(draft: ApiDraft, before: ApiSettingsView): (Partial<ApiSettingsView> & { name: string }) | undefined {
  const change: Partial<ApiSettingsView> & { name: string } = { name: draft.name };
  const operations = lines(draft.operations);
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
