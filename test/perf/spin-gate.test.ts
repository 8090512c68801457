// SpinGate (engine/train/parallel/stat-exchange.ts), how long a data-parallel thread spins for the
// other before it sleeps: adaptive, it spins only while most recent waits ended within its cap, stops
// once the waits run long (the machine's other work holds the cores), and starts again when they
// are short; fixed, it always spins its time.
import { describe, expect, it } from 'vitest';
import { SpinGate } from '../../engine/train/parallel/stat-exchange.ts';

describe('SpinGate', () => {
  it('spins after short waits, stops after long ones, and comes back', () => {
    const gate = new SpinGate(0.3, true);
    expect(gate.ms).toBe(0); // nothing seen yet
    for (let i = 0; i < 8; i++) gate.record(0.1);
    expect(gate.ms).toBe(0.3);
    // One long wait among short ones does not stop it.
    gate.record(4);
    expect(gate.ms).toBe(0.3);
    for (let i = 0; i < 8; i++) gate.record(4);
    expect(gate.ms).toBe(0);
    for (let i = 0; i < 8; i++) gate.record(0.05);
    expect(gate.ms).toBe(0.3);
  });

  it('spins its fixed time whatever the waits when not adaptive', () => {
    const gate = new SpinGate(2, false);
    for (let i = 0; i < 16; i++) gate.record(50);
    expect(gate.ms).toBe(2);
  });
});
