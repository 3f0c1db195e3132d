import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { AudienceView, Result, ToolRunView } from '../../ipc/contract.ts';
import type { Auth } from '../auth/createAuth.ts';
import { audiencesOf, decodeJwtClaims } from '../auth/jwtClaims.ts';
import type { ApiConfig } from '../config/AppConfig.ts';
import type { BridgePart } from '../createCoreBridge.ts';
import type { ToolRegistry } from '../ToolRegistry.ts';
import { toResultError } from '../ui/invokeBridge.ts';
import type { DisabledTools } from './DisabledTools.ts';
import { toAudienceViews } from './toAudienceViews.ts';

export interface ToolsBridgePartOptions {
  registry: ToolRegistry;
  disabled: DisabledTools;
  auth: Auth;
  apis(): readonly ApiConfig[];
  /** Runs a tool the way an MCP client's call runs (the gateway, as the app's own principal: approval and activity included). */
  run(name: string, args: Record<string, unknown>, signal: AbortSignal): Promise<CallToolResult>;
  now?(): number;
}

const refused = (message: string): Result<never> => ({ ok: false, error: { code: 'UI_REQUEST_REFUSED', message } });
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `tools:try`, `tools:setEnabled` and `audiences:list` for the window. */
export function toolsBridgePart(options: ToolsBridgePartOptions): BridgePart {
  const { registry, disabled } = options;
  const now = options.now ?? Date.now;
  return {
    'tools:setEnabled': async (name: string, enabled: boolean) => {
      if (typeof name !== 'string' || typeof enabled !== 'boolean') return refused('Give a tool name and true or false');
      if (!registry.describeTools().some((tool) => tool.name === name)) return refused(`No tool is named "${name.slice(0, 128)}"`);
      const saved = disabled.set(name, enabled);
      registry.setDisabled(disabled.names());
      await saved;
      return { ok: true, value: undefined };
    },
    'tools:try': async (name: string, args: Record<string, unknown>) => {
      if (typeof name !== 'string' || !isRecord(args)) return refused('Give a tool name and an object of arguments');
      const started = now();
      try {
        const result = await options.run(name, args, new AbortController().signal);
        return { ok: true, value: toToolRunView(result, now() - started) };
      } catch (error) {
        return { ok: false, error: toResultError(error) };
      }
    },
    'audiences:list': async () => ({ ok: true, value: await listAudiences(options.apis(), options.auth) }),
  };
}

/**
 * The audience views, with the `aud` of the token each API would be sent: the broker's (cached, or minted now and
 * checked like any call's). Only the claim leaves this function, never the token; a refusal shows as its finding.
 */
async function listAudiences(apis: readonly ApiConfig[], auth: Auth): Promise<AudienceView[]> {
  const actual = await Promise.all(apis.map(async (api) => {
    if (api.token.strategy === 'none' || auth.state().status !== 'signed-in') return undefined;
    const token = await auth.authorizer.tokenFor(api).catch(() => undefined);
    const claims = token ? decodeJwtClaims(token) : undefined;
    return claims ? audiencesOf(claims) : undefined;
  }));
  return toAudienceViews(apis, auth.warnings(), auth.state()).map((view, index) => withActualAudience(view, actual[index]));
}

// "ok" needs a token whose audience was seen: signed in but holding none (minting failed) is not a match yet.
function withActualAudience(view: AudienceView, actual: string[] | undefined): AudienceView {
  const merged = actual && !view.actualAudience ? { ...view, actualAudience: actual } : view;
  return merged.state === 'ok' && !merged.actualAudience ? { ...merged, state: 'no-token' } : merged;
}

function toToolRunView(result: CallToolResult, durationMs: number): ToolRunView {
  const text = result.content.flatMap((item) => (item.type === 'text' ? [item.text] : [])).join('\n');
  return { isError: result.isError === true, text, ...(result.structuredContent !== undefined ? { structuredContent: result.structuredContent } : {}), durationMs };
}
