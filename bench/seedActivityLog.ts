import path from 'node:path';
import { ActivityLog } from '../electron/core/activity/ActivityLog.ts';

/** The activity log's bound: what an app used for a day or more holds, and loads back on every restart. */
const fullLog = 10_000;

/**
 * Fills the activity log in `dataDir` to its bound before a core starts there, as it is in an app used for a day or
 * more: a restart then loads 10,000 entries, every call drops the oldest one, and the log no longer grows.
 */
export async function seedActivityLog(dataDir: string): Promise<void> {
  const { log } = await ActivityLog.open({ file: path.join(dataDir, 'activity.jsonl'), writeDelayMs: 60_000 });
  const start = Date.now() - fullLog * 1000;
  for (let i = 0; i < fullLog; i++) {
    log.append({ at: start + i * 1000, clientId: `earlier-${i % 3}`, clientName: 'An earlier client', tool: 'BenchTasks', api: 'tasks', durationMs: 2, outcome: i % 50 ? 'ok' : 'error', error: i % 50 ? undefined : 'The API answered 502.' });
  }
  await log.close();
}
