// Throughput of cberner's raptorq npm package (Rust -> wasm, v1.7.24) on
// the cases of bench-codec, for scale:
//   npm ci --prefix tests/codec/interop && node bench/codec/npm-bench.mjs [RUNS]
// Same definitions as bench-codec: MB/s = 10^6 bytes of object per second,
// best of RUNS; encode = Encoder.with_defaults + encode(10% repair) (all
// source and repair packets); decode = Decoder.with_defaults + decode()
// of all source packets, or of 90% source + 10% repair (exactly K).
// with_defaults picks Al = 8 and T = MTU rounded down to a multiple of 8,
// so MTU = T here and all cases are one block, N = 1.
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, '..', '..', 'tests', 'codec', 'interop', 'node_modules', 'raptorq');
const { initSync, Encoder, Decoder } = await import(join(pkg, 'raptorq.js'));
initSync(readFileSync(join(pkg, 'raptorq_bg.wasm')));
const runs = Number(process.argv[2] ?? 5);
const KPRIMES = [...readFileSync(join(here, '..', '..', 'src', 'codec', 'hl-codec-tables.c'), 'utf8')
  .matchAll(/^\s+\{ (\d+), \d+, \d+, \d+, \d+ \},$/gm)].map((m) => Number(m[1]));

function best(fn, bytes) {
  let b = Infinity;
  const batch = Math.max(1, Math.floor(4e7 / bytes));
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) fn();
    b = Math.min(b, Number(process.hrtime.bigint() - t0) / 1e9 / batch);
  }
  return bytes / b / 1e6;
}

for (const [name, F, T] of [['10 MB, T=1024', 10000000, 1024], ['64 KB, T=1024', 65536, 1024], ['1 MB, T=64', 1000000, 64]]) {
  const data = new Uint8Array(F);
  let x = 88172645;
  for (let i = 0; i < F; i++) { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; data[i] = x & 255; }
  const K = Math.ceil(F / T);
  const R = Math.ceil(K / 10);
  const enc = () => { const e = Encoder.with_defaults(data, T); const p = e.encode(R); e.free(); return p; };
  const packets = enc();
  const source = packets.filter((p) => ((p[1] << 16) | (p[2] << 8) | p[3]) < K);
  const repair = packets.filter((p) => ((p[1] << 16) | (p[2] << 8) | p[3]) >= K);
  const lossy = source.filter((_, i) => i % 10 !== 5);
  const withLoss = lossy.concat(repair.slice(0, K - lossy.length));
  const dec = (pk) => () => {
    const d = Decoder.with_defaults(BigInt(F), T);
    let out;
    for (const p of pk) { out = d.decode(p); if (out) break; }
    d.free();
    if (!out) throw new Error('raptorq did not decode');
  };
  const e = best(enc, F), d0 = best(dec(source), F), d10 = best(dec(withLoss), F);
  console.log(`npm raptorq ${name.padEnd(14)} K=${String(K).padEnd(6)} encode ${e.toFixed(1).padStart(8)} MB/s   decode 0% loss ${d0.toFixed(1).padStart(8)} MB/s   decode 10% loss ${d10.toFixed(1).padStart(8)} MB/s`);
}
