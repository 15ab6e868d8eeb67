import { describe, expect, it } from 'vitest';
import { COMPILE_TIME_BUILTINS, restrictCapabilities, sdkBuiltinNames } from './capabilities.js';

describe('SDK capabilities', () => {
  it('combines the shipped capabilities with the builtins the SDK implements in JavaScript', async () => {
    const names = await sdkBuiltinNames();
    for (const name of ['sprintf', 'count', 'regex.split', 'yaml.unmarshal', 'net.cidr_contains']) {
      expect(names.has(name), name).toBe(true);
    }
    for (const name of [
      'time.now_ns',
      'http.send',
      'opa.runtime',
      'crypto.x509.parse_certificates',
    ]) {
      expect(names.has(name), name).toBe(false);
    }
  });

  it('keeps OPA features and only the allowed builtins, plus the compile-time ones', () => {
    const opa = {
      builtins: [
        { name: 'sprintf' },
        { name: 'time.now_ns' },
        ...COMPILE_TIME_BUILTINS.map((name) => ({ name })),
      ],
      features: ['rego_v1'],
    };
    const restricted = restrictCapabilities(opa, new Set(['sprintf']));
    expect(restricted.builtins.map((b) => b.name)).toEqual(['sprintf', ...COMPILE_TIME_BUILTINS]);
    expect(restricted['features']).toEqual(['rego_v1']);
  });

  it('refuses an SDK that implements something the pinned OPA does not know', () => {
    expect(() => restrictCapabilities({ builtins: [] }, new Set(['future.builtin']))).toThrow(
      /builtins the pinned OPA does not declare: future.builtin/,
    );
  });
});
