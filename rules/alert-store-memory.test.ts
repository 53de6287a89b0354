import { describe, expect, it } from 'vitest';
import { createMemoryAlertStore } from './alert-store-memory';
import { alertStoreContract, sampleAlert } from './alert-store.contract';

alertStoreContract('memory', () => createMemoryAlertStore());

describe('memory alert store', () => {
  it('drops the oldest cleared alerts beyond its cap and counts them', async () => {
    const s = createMemoryAlertStore({ maxAlerts: 2 });
    await s.open();
    await s.putAlert(sampleAlert({ id: 'c1', state: 'cleared', openedAt: 1 }));
    await s.putAlert(sampleAlert({ id: 'o1', openedAt: 2 }));
    await s.putAlert(sampleAlert({ id: 'o2', openedAt: 3 }));
    expect((await s.listAlerts()).map((a) => a.id)).toEqual(['o2', 'o1']);
    expect(s.evicted).toBe(1);
  });

  it('refuses calls before open and after close', async () => {
    const s = createMemoryAlertStore();
    await expect(s.getAlert('x')).rejects.toThrow(/not open/);
    await s.open();
    await s.close();
    await expect(s.listAlerts()).rejects.toThrow(/closed/);
  });
});
