import path from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import type { NewApiSettings, SettingsPatch } from '../../ipc/contract.ts';
import { AppError } from '../errors.ts';
import { keepUntouchedLines } from './keepUntouchedLines.ts';

/**
 * Writes a settings change into the config's YAML text through the yaml package's Document API, so comments, key
 * order and the untouched values stay as the user wrote them, and untouched lines keep their exact text. Pure; the
 * caller validates the result with parseConfig like any other edit. APIs are matched by name: removed ones first,
 * then changed, then new ones appended at the end of `apis`.
 * @see https://eemeli.org/yaml/#documents
 */
export function applySettingsPatch(text: string, patch: SettingsPatch): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new AppError('CONFIG_INVALID', `The config file does not parse (${doc.errors[0]!.message.split('\n')[0]}); fix it in an editor first`);
  const unchanged = doc.toString(); // the file as the Document API prints it, before the edit
  if (patch.port !== undefined) doc.setIn(['server', 'port'], patch.port);
  if (patch.approvals?.default !== undefined) doc.setIn(['approvals', 'default'], patch.approvals.default);
  if (patch.approvals?.apis !== undefined) patchApprovalApis(doc, patch.approvals.apis);
  for (const name of patch.removeApis ?? []) removeApi(doc, name);
  for (const api of patch.apis ?? []) patchApi(doc, api);
  for (const api of patch.addApis ?? []) addApi(doc, api);
  if (patch.signIn !== undefined) patchSignIn(doc, patch.signIn);
  // Lines the change did not touch keep the user's own spacing, not the Document API's.
  return keepUntouchedLines(text, unchanged, doc.toString());
}

/** The overrides given replace the file's: an API left out follows the default again. */
function patchApprovalApis(doc: Document, policies: Record<string, string>): void {
  const current = doc.getIn(['approvals', 'apis']);
  const names = isMap(current) ? current.items.map((pair) => String(isScalar(pair.key) ? pair.key.value : pair.key)) : [];
  for (const name of names.filter((candidate) => !Object.hasOwn(policies, candidate))) doc.deleteIn(['approvals', 'apis', name]);
  for (const [api, policy] of Object.entries(policies)) doc.setIn(['approvals', 'apis', api], policy);
  dropEmptyApprovals(doc);
}

/** Removes the API and its approval override, which parseConfig would otherwise refuse as naming no API. */
function removeApi(doc: Document, name: string): void {
  doc.deleteIn(['apis', apiIndex(doc, name)]);
  // deleteIn throws on a path through a missing collection.
  if (doc.hasIn(['approvals', 'apis', name])) doc.deleteIn(['approvals', 'apis', name]);
  dropEmptyApprovals(doc);
}

/** An emptied `approvals.apis` (and then `approvals`) goes, rather than staying as `apis: {}`. */
function dropEmptyApprovals(doc: Document): void {
  for (const keys of [['approvals', 'apis'], ['approvals']]) {
    const node = doc.getIn(keys);
    if (isMap(node) && node.items.length === 0) doc.deleteIn(keys);
  }
}

/** A new API in the README's key order; defaults (no operations, mutations none, no token) are left out. */
function addApi(doc: Document, api: NewApiSettings): void {
  const entry = doc.createNode({
    name: api.name, endpoint: api.endpoint, schema: api.schema,
    ...(api.operations.length > 0 ? { operations: api.operations.map(toOperationSource) } : {}),
    ...(api.mutations === 'none' ? {} : { mutations: api.mutations }),
    ...(api.tokenStrategy !== 'none' || api.audience ? { token: { strategy: api.tokenStrategy, ...(api.audience ? { audience: api.audience } : {}) } } : {}),
  });
  // Short values on one line, as the README writes them.
  for (const key of ['schema', 'operations', 'token']) Object.assign(entry.get(key, true) ?? {}, { flow: true });
  const apis = doc.get('apis');
  if (isSeq(apis)) apis.add(entry);
  else doc.set('apis', doc.createNode([entry]));
}

/** Changes only the keys given, so `allowInsecureLoopback`, `dpop` and comments stay; null removes the block. */
function patchSignIn(doc: Document, signIn: NonNullable<SettingsPatch['signIn']> | null): void {
  if (signIn === null) return void doc.deleteIn(['signIn']);
  if (signIn.issuer !== undefined) doc.setIn(['signIn', 'issuer'], signIn.issuer);
  if (signIn.clientId !== undefined) doc.setIn(['signIn', 'clientId'], signIn.clientId);
  if (signIn.scopes !== undefined) doc.setIn(['signIn', 'scopes'], Object.assign(doc.createNode(signIn.scopes), { flow: true }));
  if (signIn.resource === null) doc.deleteIn(['signIn', 'resource']);
  else if (signIn.resource !== undefined) doc.setIn(['signIn', 'resource'], signIn.resource);
}

function patchApi(doc: Document, api: NonNullable<SettingsPatch['apis']>[number]): void {
  const index = apiIndex(doc, api.name);
  const set = (keys: (string | number)[], value: unknown) => doc.setIn(['apis', index, ...keys], value);
  if (api.endpoint !== undefined) set(['endpoint'], api.endpoint);
  // In the README's key order, so keys the file did not have yet land where a reader expects them.
  if (api.operations !== undefined) {
    const list = doc.createNode(api.operations.map(toOperationSource));
    list.flow = true;
    set(['operations'], list);
  }
  if (api.mutations !== undefined) set(['mutations'], api.mutations);
  if (api.tokenStrategy !== undefined) set(['token', 'strategy'], api.tokenStrategy);
  if (api.audience !== undefined) set(['token', 'audience'], api.audience);
}

function apiIndex(doc: Document, name: string): number {
  const apis = doc.get('apis');
  const items = isSeq(apis) ? apis.items : [];
  const index = items.findIndex((item) => isMap(item) && item.get('name') === name);
  if (index < 0) throw new AppError('CONFIG_INVALID', `No API named "${name}" in the config file`);
  return index;
}

/** `manifest:./pq.json` in the window is `{ manifest: ./pq.json }` in the file; any other text is a path. */
function toOperationSource(text: string): string | { manifest: string } {
  return text.startsWith('manifest:') ? { manifest: text.slice('manifest:'.length) } : text;
}

/** How an operation source appears in the window: as written relative to the config file's folder. */
export function describeOperationSource(source: { path: string } | { manifest: string }, configDir: string): string {
  const relative = (file: string) => {
    const out = path.relative(configDir, file);
    return out.startsWith('..') || path.isAbsolute(out) ? file : `./${out}`;
  };
  return 'manifest' in source ? `manifest:${relative(source.manifest)}` : relative(source.path);
}
