// Regenerates the known-answer files from cberner's raptorq (npm, wasm), an
// independent RFC 6330 implementation:
//   npm ci --prefix tests/codec/interop
//   node tests/codec/kat/make-kat.mjs
// Each case writes NAME.in (the object) and NAME.rq (rqtool's encoded
// format: OTI, then per block K source packets and R repair packets with
// RFC ESIs -- raptorq 1.x's K'-based repair ESIs are translated).
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, '..', 'interop', 'node_modules', 'raptorq');
const { initSync, Encoder } = await import(join(pkg, 'raptorq.js'));
initSync(readFileSync(join(pkg, 'raptorq_bg.wasm')));
const KPRIMES = [...readFileSync(join(here, '..', '..', '..', 'src', 'codec', 'hl-codec-tables.c'), 'utf8')
  .matchAll(/^\s+\{ (\d+), \d+, \d+, \d+, \d+ \},$/gm)].map((m) => Number(m[1]));

const cases = [
  // name, F, MTU, repair packets per block
  ['k1-t64', 50, 64, 4],
  ['k11-t96', 1000, 100, 6],
  ['k26-t72', 1840, 72, 30],
  ['k118-t256', 30000, 256, 20],
  ['k1000-t64', 64000, 64, 12],
];
for (const [name, F, mtu, R] of cases) {
  let s = 0x9e3779b9 ^ F;
  const data = Buffer.alloc(F);
  for (let i = 0; i < F; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    data[i] = s & 255;
  }
  const T = mtu - (mtu % 8);
  const K = Math.ceil(F / T);  // these cases are single-block, N = 1
  const Kp = KPRIMES.find((kp) => kp >= K);
  const enc = Encoder.with_defaults(new Uint8Array(data), mtu);
  const packets = enc.encode(R).map((p) => Buffer.from(p));
  enc.free();
  if (packets.length !== K + R || packets.some((p) => p[0] !== 0)) throw new Error(name + ': not a single block');
  const oti = Buffer.alloc(12);
  oti.writeUInt32BE(F, 1);
  oti.writeUInt16BE(T, 6);
  oti[8] = 1;
  oti.writeUInt16BE(1, 9);
  oti[11] = 8;
  for (const p of packets) {
    const esi = (p[1] << 16) | (p[2] << 8) | p[3];
    const fixed = esi < K ? esi : esi - (Kp - K);
    p[1] = fixed >> 16; p[2] = (fixed >> 8) & 255; p[3] = fixed & 255;
  }
  writeFileSync(join(here, name + '.in'), data);
  writeFileSync(join(here, name + '.rq'), Buffer.concat([oti, ...packets]));
  console.log(name, 'K=' + K, "K'=" + Kp, 'T=' + T, 'R=' + R);
}
