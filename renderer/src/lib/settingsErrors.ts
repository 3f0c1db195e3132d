import type { SettingsView } from '../../../electron/ipc/contract.ts';

/** Where a settings field's error is shown: `port`, `approvals.default`, `approvals.apis.<api>`, `apis.<api>.<field>`. */
export type SettingsFieldKey = string;

export interface SettingsErrors {
  byField: Record<SettingsFieldKey, string>;
  /** Lines that name no field the form shows. */
  general: string[];
}

/**
 * Splits a refused `settings:update` message (one problem per line, each ending in its config key as
 * `formatProblem` writes it, e.g. `… (apis[0].endpoint)`) into errors per form field.
 */
export function mapSettingsErrors(message: string, settings: SettingsView | undefined): SettingsErrors {
  const result: SettingsErrors = { byField: {}, general: [] };
  for (const line of message.split('\n').map((part) => part.trim()).filter(Boolean)) {
    const field = fieldOf(line, settings);
    const text = field ? fieldMessage(line) : line;
    if (field) result.byField[field] = result.byField[field] ? `${result.byField[field]}\n${text}` : text;
    else result.general.push(line);
  }
  return result;
}

/** Next to its field a problem needs no file, line or key: `Not saved: error: /x/config.yaml:6: … (apis[0].endpoint)` → `…`. */
function fieldMessage(line: string): string {
  const text = line.replace(/^Not saved:\s*/i, '').replace(/^(?:error|warning):\s*/i, '').replace(/^\S+:\d+:\s*/, '').replace(/\s*\([\w.[\]-]+\)\s*$/, '');
  return text || line;
}

function fieldOf(line: string, settings: SettingsView | undefined): SettingsFieldKey | undefined {
  const key = /\(([\w.[\]-]+)\)\s*$/.exec(line)?.[1] ?? /\b((?:server|approvals|apis)[\w.[\]-]*)/.exec(line)?.[1];
  if (!key) return undefined;
  if (/^(?:server\.)?port\b/.test(key)) return 'port';
  const approval = /^approvals\.(default|apis\.([\w-]+))/.exec(key);
  if (approval) return approval[2] ? `approvals.apis.${approval[2]}` : 'approvals.default';
  const api = /^apis(?:\[(\d+)\]|\.([\w-]+))(?:\.([\w.[\]]+))?/.exec(key);
  if (!api) return undefined;
  const name = api[2] ?? settings?.apis[Number(api[1])]?.name;
  if (!name) return undefined;
  return `apis.${name}${apiFieldOf(api[3] ?? '')}`;
}

/** `token.audience` → `.audience`; a key the form has no input for → the API's own slot. */
function apiFieldOf(rest: string): string {
  if (rest.startsWith('token.audience')) return '.audience';
  if (rest.startsWith('token')) return '.tokenStrategy';
  const field = ['endpoint', 'operations', 'mutations'].find((name) => rest.startsWith(name));
  return field ? `.${field}` : '';
}
