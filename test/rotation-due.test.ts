import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { main, rotationDue } from '../scripts/rotation-due';
import { stackOutputs } from '../scripts/stack-outputs';

const NOW = new Date('2024-03-01T04:17:00Z');

describe('rotation-due: whether the scheduled deploy deploys an environment', () => {
  const as = (outputs: Record<string, unknown>) => stackOutputs({ prod: outputs }, 'prod');

  it('is due from the rotation date on, and not before', () => {
    expect(rotationDue(as({ client_secret_next_rotation: '2024-03-01T00:00:00Z' }), NOW)).toBe(
      'rotation due since 2024-03-01T00:00:00Z',
    );
    expect(rotationDue(as({ client_secret_next_rotation: '2024-03-01T04:17:00Z' }), NOW)).toMatch(/^rotation due/);
    expect(rotationDue(as({ client_secret_next_rotation: '2024-03-02T00:00:00Z' }), NOW)).toBeUndefined();
  });

  it('is due when there is no rotation date yet (never deployed, or deployed before 0.3)', () => {
    expect(rotationDue(as({ client_id: 'x' }), NOW)).toBe('no rotation date in its outputs yet');
    expect(rotationDue(as({ client_secret_next_rotation: 'soon' }), NOW)).toBe('no rotation date in its outputs yet');
  });

  it('reads both output shapes and answers on stdout only', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bpsso-due-'));
    const cdktf = path.join(dir, 'cdktf.json');
    const terraform = path.join(dir, 'terraform.json');
    writeFileSync(cdktf, JSON.stringify({ prod: { client_secret_next_rotation: '2024-02-01T00:00:00Z' } }));
    writeFileSync(terraform, JSON.stringify({ client_secret_next_rotation: { value: '2025-01-01T00:00:00Z' } }));
    expect(main([cdktf, 'prod'], NOW)).toEqual({ code: 0, out: 'rotation due since 2024-02-01T00:00:00Z\n' });
    expect(main([terraform, 'prod'], NOW)).toEqual({ code: 0, out: '' });
    expect(main([path.join(dir, 'missing.json'), 'prod'], NOW)).toEqual({ code: 0, out: 'no readable outputs\n' });
    expect(main([cdktf], NOW).code).toBe(2);
  });
});
