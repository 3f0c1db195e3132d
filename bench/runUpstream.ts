// Bench child: the demo "tasks" GraphQL API on 127.0.0.1 in its own process, so every hop crosses a process.
import { createInterface } from 'node:readline';
import { startTasksApi } from '../electron/core/demo/demoApis.ts';

const api = await startTasksApi();
process.stdout.write(`${JSON.stringify({ event: 'ready', url: api.url })}\n`);
createInterface({ input: process.stdin }).on('close', () => {
  void api.close().then(() => process.exit(0));
});
