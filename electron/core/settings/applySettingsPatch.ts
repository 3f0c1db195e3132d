import path from 'node:path';
import { isMap, isSeq, parseDocument, type Document } from 'yaml';
import type { SettingsPatch } from '../../ipc/contract.ts';
import { AppError } from '../errors.ts';

/**
 * Writes a settings change into the config's YAML text through the yaml package's Document API, so comments, key
 * order and the untouched values stay as the user wrote them. Pure; the caller validates the result with
 * parseConfig like any other edit. APIs are matched by name; adding or removing one is done in the file.
 * @see https://eemeli.org/yaml/#documents
 */
export function applySettingsPatch(text: string, patch: SettingsPatch): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new AppError('CONFIG_INVALID', `The config file does not parse (${doc.errors[0]!.message.split('\n')[0]}); fix it in an editor first`);
  if (patch.port !== undefined) doc.setIn(['server', 'port'], patch.port);
  if (patch.approvals?.default !== undefined) doc.setIn(['approvals', 'default'], patch.approvals.default);
  for (const [api, policy] of Object.entries(patch.approvals?.apis ?? {})) doc.setIn(['approvals', 'apis', api], policy);
  for (const api of patch.apis ?? []) patchApi(doc, api);
  return doc.toString();
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
  if (index < 0) throw new AppError('CONFIG_INVALID', `No API named "${name}" in the config file; add new APIs in the file itself`);
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
