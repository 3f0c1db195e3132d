// The fault suite's report: every case with the state it ended in, printed as a table when a file finishes.

interface Row {
  fault: string;
  outcome: string;
}

const rows: Row[] = [];

/** Records how a fault case ended (call it after the case's assertions passed). */
export function recordOutcome(fault: string, outcome: string): void {
  rows.push({ fault, outcome });
}

/** Prints the cases recorded so far as a table on stdout. */
export function printFaultTable(title: string): void {
  const width = Math.max(5, ...rows.map((row) => row.fault.length));
  const lines = [`\n${title}`, `${'fault'.padEnd(width)} | outcome`, `${'-'.repeat(width)}-+-${'-'.repeat(40)}`];
  for (const row of rows.splice(0)) lines.push(`${row.fault.padEnd(width)} | ${row.outcome}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
