// `node test/secret-scan/scanRecords.ts <record folder>`: the secret scan for runs outside vitest (the browser tests
// in scripts/test.ts): exit 1 on any hit; the folder is deleted either way.
import { finishSecretScan } from './scanForSecrets.ts';

const [recordDir] = process.argv.slice(2);
if (!recordDir) {
  process.stderr.write('usage: node test/secret-scan/scanRecords.ts <record folder>\n');
  process.exit(2);
}
try {
  await finishSecretScan(recordDir);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exitCode = 1;
}
