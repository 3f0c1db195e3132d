import type { SettingsView } from '../../../electron/ipc/contract.ts';

/**
 * Where a settings field's error is shown: `port`, `approvals.default`, `approvals.apis.<api>`, `apis.<api>.<field>`,
 * `signIn.<field>`, and `new.<index>.<field>` for the APIs being added (by their place in the form: a new name may be
 * empty or taken).
 */
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
export function mapSettingsErrors(message: string, settings: SettingsView | undefined, added = 0): SettingsErrors {
  const result: SettingsErrors = { byField: {}, general: [] };
  for (const line of message.split('\n').map((part) => part.trim()).filter(Boolean)) {
    const field = fieldOf(line, settings, added);
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

function fieldOf(line: string, settings: SettingsView | undefined, added: number): SettingsFieldKey | undefined {
  const key = /\(([\w.[\]-]+)\)\s*$/.exec(line)?.[1] ?? /\b((?:server|approvals|apis|signIn)[\w.[\]-]*)/.exec(line)?.[1];
  if (!key) return undefined;
  if (/^(?:server\.)?port\b/.test(key)) return 'port';
  const signIn = /^signIn(?:\.(issuer|clientId|scopes|resource))?/.exec(key);
  if (signIn) return signIn[1] ? `signIn.${signIn[1]}` : 'signIn';
  const approval = /^approvals\.(default|apis\.([\w-]+))/.exec(key);
  if (approval) return approval[2] ? `approvals.apis.${approval[2]}` : 'approvals.default';
  const api = /^apis(?:\[(\d+)\]|\.([\w-]+))(?:\.([\w.[\]]+))?/.exec(key);
  if (!api) return undefined;
  // New APIs follow the file's own in `apis`, in the form's order.
  const known = settings?.apis.length ?? 0;
  const index = Number(api[1]);
  if (!api[2] && index >= known && index < known + added) return `new.${index - known}${apiFieldOf(api[3] ?? '', newApiFields)}`;
  const name = api[2] ?? settings?.apis[index]?.name;
  if (!name) return undefined;
  return `apis.${name}${apiFieldOf(api[3] ?? '', apiFields)}`;
}

const apiFields = ['endpoint', 'operations', 'mutations'];
const newApiFields = ['name', 'schema', ...apiFields];

/** `token.audience` → `.audience`; a key the form has no input for → the API's own slot. */
function apiFieldOf(rest: string, fields: string[]): string {
  if (rest.startsWith('token.audience')) return '.audience';
  if (rest.startsWith('token')) return '.tokenStrategy';
  const field = fields.find((name) => rest.startsWith(name));
  return field ? `.${field}` : '';
}
