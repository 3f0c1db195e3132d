// Child process for the kill -9 fault cases: writes one state file again and again the way the app does, printing
// "saved <marker>" once each write is complete, until it is killed. Usage: node stateWriter.ts <mode> <file> <round>
import { ActivityLog } from '../../../electron/core/activity/ActivityLog.ts';
import { ClientRegistry } from '../../../electron/core/clients/ClientRegistry.ts';
import { writeFileAtomic } from '../../../electron/core/store/writeFileAtomic.ts';

const [mode, file, round] = process.argv.slice(2) as [string, string, string];
// Big enough that a kill often lands in the middle of writing it.
const padding = 'x'.repeat(256 * 1024);

async function writeForever(write: (marker: string) => Promise<void>): Promise<never> {
  for (let n = 0; ; n += 1) {
    const marker = `${round}-${n}`;
    await write(marker);
    process.stdout.write(`saved ${marker}\n`);
  }
}

if (mode === 'atomic') {
  await writeForever((marker) => writeFileAtomic(file, JSON.stringify({ marker, padding })));
} else if (mode === 'registry') {
  const registry = await ClientRegistry.open({ file });
  await writeForever((marker) => registry.update((state) => {
    state.oauth[`fault:${marker}`] = { payload: { marker, padding: padding.slice(0, 4096) }, expiresAt: Date.now() + 86_400_000 };
  }));
} else if (mode === 'activity') {
  const { log } = await ActivityLog.open({ file, writeDelayMs: 0 });
  await writeForever(async (marker) => {
    log.append({ at: Date.now(), clientId: 'fault', clientName: 'fault', tool: marker, durationMs: 1, outcome: 'ok', error: padding.slice(0, 2048) });
    await log.flush();
  });
}
