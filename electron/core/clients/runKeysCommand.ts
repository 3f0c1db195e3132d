import path from 'node:path';
import { AppError } from '../errors.ts';
import { ClientRegistry } from './ClientRegistry.ts';
import { createKey, listKeys, revokeKey } from './manageKeys.ts';

export interface KeysCommandOptions {
  /** The app's data folder (the running app, if any, watches the same registry file). */
  dataDir: string;
  out(text: string): void;
  err(text: string): void;
}

export const keysUsage = `       npm start -- keys create NAME [--read-only]   create an access key (printed once)
       npm start -- keys list                        list access keys
       npm start -- keys revoke NAME                 revoke an access key at once`;

/**
 * `npm start -- keys …`: manages access keys in the registry file directly, so it works whether or not the app is
 * running (a running app picks the change up within a second). The key is printed once and never stored.
 */
export async function runKeysCommand(args: string[], options: KeysCommandOptions): Promise<number> {
  const readOnly = args.includes('--read-only');
  const [verb, name, ...rest] = args.filter((arg) => arg !== '--read-only');
  const valid = (verb === 'list' && name === undefined) || ((verb === 'create' || verb === 'revoke') && name !== undefined && rest.length === 0 && (verb === 'create' || !readOnly));
  if (!valid || rest.length > 0) {
    options.err(`Usage:\n${keysUsage}\n`);
    return 2;
  }
  const registry = await ClientRegistry.open({ file: path.join(options.dataDir, 'clients.json') });
  try {
    if (verb === 'create') await create(registry, name!, readOnly, options);
    else if (verb === 'revoke') await revokeKey(registry, name!).then(() => options.out(`Revoked access key "${name!.trim()}": it stops working at once.\n`));
    else list(registry, options);
    return 0;
  } catch (error) {
    options.err(`${AppError.is(error) ? error.message : `Unexpected error: ${(error as Error).message}`}\n`);
    return 1;
  } finally {
    registry.close();
  }
}

async function create(registry: ClientRegistry, name: string, readOnly: boolean, options: KeysCommandOptions): Promise<void> {
  const created = await createKey(registry, name, readOnly);
  options.out(`Created access key "${created.name}" (${readOnly ? 'read-only: queries and introspection' : 'read and write'}). It is shown only this once:\n`);
  options.out(`${created.key}\n`);
  options.out('Send it as "Authorization: Bearer <key>". Revoke it with: npm start -- keys revoke NAME\n');
}

function list(registry: ClientRegistry, options: KeysCommandOptions): void {
  const keys = listKeys(registry);
  if (keys.length === 0) return options.out('No access keys.\n');
  for (const key of keys) {
    const access = key.scopes.includes('tools:write') ? 'read-write' : 'read-only ';
    options.out(`${key.name}\t${access}\tcreated ${new Date(key.approvedAt).toISOString()}\n`);
  }
}
