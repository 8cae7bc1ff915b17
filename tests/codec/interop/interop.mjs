// Interoperability of rqtool (our RaptorQ codec) with cberner's `raptorq`
// npm package (Rust compiled to wasm), in both directions.
//
//   node interop.mjs RQTOOL TABLES_C [--quick]
//
// raptorq 1.x numbers repair symbols from K' instead of K (fixed in 2.0):
// its repair packet ESI e is our ESI e - (K' - K) and vice versa.  The
// translation is done here, never in the codec.
//
// The npm package only exposes with_defaults(F, MTU) parameter selection
// (T = packet size - 4, Al = 8, SS = 8, WS = 10 MiB, RFC 6330 4.3), so Z
// and N follow from F and T; Z > 1 and N > 1 cases use objects large
// enough to need them.
import { readFileSync, writeFileSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, 'node_modules', 'raptorq');
if (!existsSync(join(pkg, 'raptorq_bg.wasm'))) {
  console.error(`FAIL: ${pkg} is missing; run: npm ci --prefix ${here}`);
  process.exit(1);
}
const { initSync, Encoder, Decoder } = await import(join(pkg, 'raptorq.js'));
initSync(readFileSync(join(pkg, 'raptorq_bg.wasm')));

const [rqtool, tablesC] = process.argv.slice(2);
const quick = process.argv.includes('--quick');
const KPRIMES = [...readFileSync(tablesC, 'utf8').matchAll(/^\s+\{ (\d+), \d+, \d+, \d+, \d+ \},$/gm)]
  .map((m) => Number(m[1]));
if (KPRIMES.length !== 477) throw new Error('could not read Table 2 from ' + tablesC);
const kprime = (k) => KPRIMES.find((kp) => kp >= k);

// Deterministic PRNG (xorshift32) so failures reproduce.
function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}
function shuffle(a, r) {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

// RFC 6330 4.3 as raptorq's with_defaults applies it.
function layout(F, T) {
  const Al = 8, SS = 8, WS = 10 * 1024 * 1024;
  const Kt = Math.ceil(F / T);
  const nMax = Math.floor(T / (SS * Al));
  const KL = (n) => {
    const bound = Math.floor(WS / (Al * Math.ceil(T / (Al * n))));
    let best = 0;
    for (const kp of KPRIMES) if (kp <= bound) best = kp;
    return best;
  };
  const Z = Math.ceil(Kt / KL(nMax));
  let N = 1;
  while (N < nMax && Math.ceil(Kt / Z) > KL(N)) N++;
  const KLarge = Math.ceil(Kt / Z), KSmall = Math.floor(Kt / Z);
  const ZL = Kt - KSmall * Z;
  const blockK = (sbn) => (sbn < ZL ? KLarge : KSmall);
  return { F, T, Al, Z, N, Kt, blockK };
}

function oti(l) {
  const b = Buffer.alloc(12);
  const F = BigInt(l.F);
  for (let i = 0; i < 5; i++) b[i] = Number((F >> BigInt(8 * (4 - i))) & 0xffn);
  b.writeUInt16BE(l.T, 6);
  b[8] = l.Z;
  b.writeUInt16BE(l.N, 9);
  b[11] = l.Al;
  return b;
}

const esiOf = (p) => (p[1] << 16) | (p[2] << 8) | p[3];
function withEsi(p, esi) {
  const q = Buffer.from(p);
  q[1] = (esi >> 16) & 255; q[2] = (esi >> 8) & 255; q[3] = esi & 255;
  return q;
}

const work = mkdtempSync(join(tmpdir(), 'hl-interop-'));
let failures = 0, cases = 0;
const log = (...a) => console.log(...a);

// Chooses which packets of one block a receiver gets.
//   mode 'all'     every source packet
//   mode 'loss'    10% of source lost, as many repair packets instead
//   mode 'exact'   a random mix of exactly K packets (half repair)
//   mode 'repair'  repair packets only
function pick(mode, K, source, repair, r) {
  switch (mode) {
    case 'all': return source.slice();
    case 'loss': {
      const lost = Math.max(1, Math.floor(K / 10));
      return shuffle(shuffle(source.slice(), r).slice(lost).concat(repair.slice(0, lost)), r);
    }
    case 'exact': {
      const nRep = Math.min(repair.length, Math.floor(K / 2) + 1);
      return shuffle(shuffle(source.slice(), r).slice(0, K - nRep).concat(repair.slice(0, nRep)), r);
    }
    case 'repair': return shuffle(repair.slice(0, K), r);
    default: throw new Error(mode);
  }
}

function caseOursToTheirs(F, mtu, mode, seed) {
  cases++;
  const r = rng(seed);
  const data = Buffer.alloc(F);
  for (let i = 0; i < F; i++) data[i] = Math.floor(r() * 256);
  const T = mtu - (mtu % 8);
  const l = layout(F, T);
  const extra = 3;  // a few spare repair packets in case K are not enough
  const R = Math.max(...Array.from({ length: l.Z }, (_, s) => l.blockK(s))) + extra;
  const inp = join(work, 'o2t.in'), enc = join(work, 'o2t.enc');
  writeFileSync(inp, data);
  execFileSync(rqtool, ['encode', '--z', String(l.Z), '--n', String(l.N), '--al', '8', inp, enc, String(T), String(R)]);
  const file = readFileSync(enc);
  if (!file.subarray(0, 12).equals(oti(l))) throw new Error('OTI mismatch');
  const plen = T + 4;
  const blocks = Array.from({ length: l.Z }, () => ({ source: [], repair: [] }));
  for (let off = 12; off < file.length; off += plen) {
    const p = file.subarray(off, off + plen);
    const K = l.blockK(p[0]);
    const esi = esiOf(p);
    if (esi < K) blocks[p[0]].source.push(p);
    else blocks[p[0]].repair.push(withEsi(p, esi + kprime(K) - K));  // to 1.x numbering
  }
  const dec = Decoder.with_defaults(BigInt(F), mtu);
  let out, fed = 0, spare = [];
  for (let sbn = 0; sbn < l.Z && !out; sbn++) {
    const K = l.blockK(sbn);
    const b = blocks[sbn];
    const chosen = pick(mode, K, b.source, b.repair.slice(0, K), r);
    const used = new Set(chosen);
    spare.push(...b.repair.filter((p) => !used.has(p)).slice(0, extra));
    for (const p of chosen) { out = dec.decode(new Uint8Array(p)) ?? out; fed++; }
  }
  let needed = 0;
  while (!out && spare.length) { out = dec.decode(new Uint8Array(spare.shift())) ?? out; needed++; }
  dec.free();
  const ok = out && Buffer.from(out).equals(data);
  if (!ok) failures++;
  log(`${ok ? 'ok  ' : 'FAIL'} ours->theirs F=${F} T=${T} Z=${l.Z} N=${l.N} K=${l.blockK(0)} mode=${mode}${needed ? ` (+${needed} extra)` : ''}`);
  return l;
}

function caseTheirsToOurs(F, mtu, mode, seed, compareEncoding) {
  cases++;
  const r = rng(seed);
  const data = new Uint8Array(F);
  for (let i = 0; i < F; i++) data[i] = Math.floor(r() * 256);
  const T = mtu - (mtu % 8);
  const l = layout(F, T);
  const extra = 3;
  const maxK = l.blockK(0);
  const enc = Encoder.with_defaults(data, mtu);
  const packets = enc.encode(maxK + extra).map((p) => Buffer.from(p));
  enc.free();
  const blocks = Array.from({ length: l.Z }, () => ({ source: [], repair: [] }));
  for (const p of packets) {
    const K = l.blockK(p[0]);
    const esi = esiOf(p);
    if (esi < K) blocks[p[0]].source.push(p);
    else blocks[p[0]].repair.push(withEsi(p, esi - (kprime(K) - K)));  // to RFC numbering
  }
  if (blocks.some((b, s) => b.source.length !== l.blockK(s))) throw new Error('unexpected block layout from raptorq');

  if (compareEncoding) {
    // Our encoder must produce byte-identical packets.
    const inp = join(work, 'cmp.in'), encf = join(work, 'cmp.enc');
    writeFileSync(inp, data);
    execFileSync(rqtool, ['encode', '--z', String(l.Z), '--n', String(l.N), '--al', '8', inp, encf, String(T), String(maxK + extra)]);
    const ours = readFileSync(encf);
    const theirs = Buffer.concat([oti(l), ...blocks.flatMap((b, s) =>
      b.source.concat(b.repair.slice(0, maxK + extra)).concat([]))]);
    // Block by block, rqtool writes K source then R repair packets.
    let same = ours.length === 12 + packets.length * (T + 4) && ours.subarray(0, 12).equals(theirs.subarray(0, 12));
    if (same) {
      let off = 12;
      for (const b of blocks)
        for (const p of b.source.concat(b.repair)) {
          if (!ours.subarray(off, off + T + 4).equals(p)) same = false;
          off += T + 4;
        }
    }
    cases++;
    if (!same) failures++;
    log(`${same ? 'ok  ' : 'FAIL'} identical packets F=${F} T=${T} Z=${l.Z} N=${l.N} K=${maxK}`);
  }

  const chosen = [], spare = [];
  for (let sbn = 0; sbn < l.Z; sbn++) {
    const K = l.blockK(sbn);
    const b = blocks[sbn];
    const c = pick(mode, K, b.source, b.repair.slice(0, K), r);
    const used = new Set(c);
    chosen.push(...c);
    spare.push(...b.repair.filter((p) => !used.has(p)).slice(0, extra));
  }
  const inp = join(work, 't2o.enc'), outp = join(work, 't2o.out');
  let needed = 0, ok = false;
  for (;;) {
    writeFileSync(inp, Buffer.concat([oti(l), ...chosen]));
    try {
      execFileSync(rqtool, ['decode', inp, outp], { stdio: ['ignore', 'ignore', 'pipe'] });
      ok = readFileSync(outp).equals(Buffer.from(data));
      break;
    } catch (e) {
      if (e.status !== 1 || spare.length === 0) break;
      chosen.push(spare.shift());
      needed++;
    }
  }
  if (!ok) failures++;
  log(`${ok ? 'ok  ' : 'FAIL'} theirs->ours F=${F} T=${T} Z=${l.Z} N=${l.N} K=${maxK} mode=${mode}${needed ? ` (+${needed} extra)` : ''}`);
}

// Symbol counts around K' boundaries of Table 2 (10, 12, 18, 20, 26, ...),
// small and large; T from 64 bytes (the least with_defaults accepts: it
// needs T >= SS * Al) to 1 KiB.
const small = [[1, 96], [9, 96], [10, 96], [11, 96], [12, 96], [13, 96], [18, 64], [19, 64],
  [20, 64], [26, 72], [27, 80], [55, 64], [56, 136], [100, 256], [101, 256], [211, 96],
  [500, 200], [1000, 96], [1002, 64], [1003, 64]];
const large = quick ? [[2000, 512], [4000, 1024]] : [[2000, 512], [3000, 104], [4000, 1024], [6000, 96], [10000, 1024]];
const modes = ['loss', 'exact', 'repair'];
let seed = 1;
for (const [k, mtu] of small.concat(large)) {
  const T = mtu - (mtu % 8);
  // F chosen so that Kt = k with a partial last symbol where possible.
  const F = Math.max(1, k * T - (k > 1 ? Math.floor(T / 3) : 0));
  for (const mode of modes) {
    caseOursToTheirs(F, mtu, mode, seed++);
    caseTheirsToOurs(F, mtu, mode, seed++, mode === 'loss');
  }
}
// A deterministic spread of other sizes: K from 1 to ~8000, T from 64 to
// 512, modes in turn.
{
  const r = rng(20260101);
  for (let i = 0; i < 24; i++) {
    const T = 64 + 8 * Math.floor(r() * 57);
    const k = 1 + Math.floor(Math.pow(r(), 2) * 8000);
    const F = Math.max(1, k * T - Math.floor(r() * T));
    caseOursToTheirs(F, T, modes[i % 3], seed++);
    caseTheirsToOurs(F, T, modes[(i + 1) % 3], seed++, i % 4 === 0);
  }
}
// Exactly the source packets.
caseOursToTheirs(5000, 256, 'all', seed++);
caseTheirsToOurs(5000, 256, 'all', seed++, false);
// Z > 1: T = 64 has KL = 56403, so 4 MB needs two blocks.
caseOursToTheirs(4000000, 64, 'loss', seed++);
caseTheirsToOurs(4000000, 64, 'exact', seed++, true);
if (!quick) {
  // Z = 3 with uneven blocks.
  caseTheirsToOurs(56403 * 64 * 2 + 1000, 64, 'loss', seed++, false);
}
// N > 1: a sub-block must fit WS = 10 MiB, so 12 MB at T = 1024 needs N = 2.
caseOursToTheirs(12000000, 1024, 'loss', seed++);
caseTheirsToOurs(12000000, 1024, 'repair', seed++, true);

rmSync(work, { recursive: true, force: true });
console.log(`${cases - failures}/${cases} interop checks passed`);
process.exit(failures ? 1 : 0);
