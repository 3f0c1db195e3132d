import { describe, expect, it } from 'vitest';
import { isMainChannel, isMainEvent, mainApiChannels, mainEventNames } from '../../../electron/ipc/contract.ts';

describe('isMainChannel', () => {
  it('accepts the contract channels and nothing inherited', () => {
    for (const channel of Object.keys(mainApiChannels)) expect(isMainChannel(channel)).toBe(true);
    for (const name of ['__proto__', 'toString', 'constructor', 'hasOwnProperty', 'tools:delete', '']) expect(isMainChannel(name)).toBe(false);
  });
});

describe('isMainEvent', () => {
  it('accepts the contract events and nothing inherited', () => {
    for (const event of Object.keys(mainEventNames)) expect(isMainEvent(event)).toBe(true);
    expect(isMainEvent('__proto__')).toBe(false);
    expect(isMainEvent('tools:list')).toBe(false);
  });
});
