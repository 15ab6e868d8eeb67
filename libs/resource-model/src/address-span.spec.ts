import { BlockList } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addressSpan, addressSpanOfRange, addressSpans, type AddressSpan } from './address-span.js';

const v4 = (start: string, end: string): AddressSpan => ({ family: 'ipv4', start, end });
const v6 = (start: string, end: string): AddressSpan => ({ family: 'ipv6', start, end });
const V6_TOP = `1${'0'.repeat(32)}`;

describe('addressSpan', () => {
  it('writes blocks as fixed-width hex with an exclusive end, the top of the space included', () => {
    expect(addressSpan('0.0.0.0/0')).toEqual(v4('000000000', '100000000'));
    expect(addressSpan('0.0.0.0/1')).toEqual(v4('000000000', '080000000'));
    expect(addressSpan('128.0.0.0/1')).toEqual(v4('080000000', '100000000'));
    expect(addressSpan('10.0.0.0/8')).toEqual(v4('00a000000', '00b000000'));
    expect(addressSpan('::/0')).toEqual(v6('0'.repeat(33), V6_TOP));
    expect(addressSpan('8000::/1')).toEqual(v6(`08${'0'.repeat(31)}`, V6_TOP));
  });

  it('reads a bare address as one host and ignores host bits of a CIDR', () => {
    expect(addressSpan('198.51.100.7')).toEqual(v4('0c6336407', '0c6336408'));
    expect(addressSpan('10.1.2.3/8')).toEqual(addressSpan('10.0.0.0/8'));
    expect(addressSpan('2001:db8::1')).toEqual(
      v6(`020010db8${'0'.repeat(23)}1`, `020010db8${'0'.repeat(23)}2`),
    );
    expect(addressSpan('::ffff:192.0.2.1/128')).toEqual(
      v6(`0${'0'.repeat(20)}ffffc0000201`, `0${'0'.repeat(20)}ffffc0000202`),
    );
  });

  it('is null for what is not an address: references, tags, bad prefixes, zones', () => {
    for (const text of [
      'sg:sg-0123',
      'tag:web',
      'service:AzureLoadBalancer',
      '10.0.0.0/33',
      '::/129',
      '10.0.0.0/',
      '10.0.0.0/-1',
      '256.0.0.0/8',
      'fe80::1%eth0',
      '',
    ]) {
      expect(addressSpan(text), text).toBeNull();
    }
  });

  it('agrees with node:net BlockList on which addresses a CIDR holds', () => {
    const octets = fc
      .tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255))
      .map((o) => o.join('.'));
    fc.assert(
      fc.property(octets, fc.nat(32), octets, (network, prefix, probe) => {
        const list = new BlockList();
        const block = addressSpan(`${network}/${prefix}`);
        const host = addressSpan(probe);
        if (block === null || host === null) return false;
        list.addSubnet(network, prefix, 'ipv4');
        const inside = block.start <= host.start && host.start < block.end;
        return inside === list.check(probe, 'ipv4');
      }),
    );
  });
});

describe('addressSpanOfRange', () => {
  it('covers start to end inclusive, and is null across families or backwards', () => {
    expect(addressSpanOfRange('0.0.0.0', '255.255.255.255')).toEqual(addressSpan('0.0.0.0/0'));
    expect(addressSpanOfRange('0.0.0.0', '0.0.0.0')).toEqual(v4('000000000', '000000001'));
    expect(addressSpanOfRange('10.0.0.9', '10.0.0.1')).toBeNull();
    expect(addressSpanOfRange('10.0.0.1', '::1')).toBeNull();
    expect(addressSpanOfRange('x', '10.0.0.1')).toBeNull();
  });
});

describe('addressSpans', () => {
  it('keeps the peers that are addresses, in order', () => {
    expect(addressSpans(['sg:sg-1', '0.0.0.0/1', 'tag:web', '::/0'])).toEqual([
      addressSpan('0.0.0.0/1'),
      addressSpan('::/0'),
    ]);
  });
});
