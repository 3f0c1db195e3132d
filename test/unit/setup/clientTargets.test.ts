import { describe, expect, it } from 'vitest';
import { clientTargets } from '../../../electron/core/setup/clientTargets.ts';

describe('clientTargets', () => {
  it('tells the user what is left to do after the config write, for every client', () => {
    for (const target of clientTargets) expect(target.nextStep?.text, target.label).toMatch(/^Then \S/);
  });
});
