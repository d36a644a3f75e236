// The bench/compare load generator: one workload, one target, one JSON result line.
//
// Every transaction is signed with ethers (Wallet.signTransaction) and every JSON-RPC request body is built BEFORE the
// clock starts; the timed part only posts pre-built batches of eth_sendRawTransaction over keep-alive HTTP (a few
// requests in flight) while a poller watches eth_blockNumber and fetches each new block (eth_getBlockByNumber n false)
// to see which transactions it holds. A transaction's latency is the time its block was first seen minus the time its
// batch was posted; TPS is committed transactions / (last commit seen - first batch posted).
//
// Usage: node loadgen.mjs --rpc URL[,URL...] --accounts FILE [--workload transfer|erc20] [--txs N] [--senders S]
//          [--batch B] [--concurrency C] [--poll-ms P] [--stall-s T] [--pids 1,2,3] [--target NAME] [--sink]
//          [--warmup W] [--out FILE]
// --warmup: W more transactions of the same workload are sent and committed before the clock starts (JIT compilers,
// caches and connection pools reach their steady state; the same W for every target).
// --rpc: with several URLs (the nodes of one network) the batches go to each in turn; setup and polling use the first.
// --pids: processes whose peak RSS (VmHWM) is summed into the result. --sink: the target is sink.mjs (no contract to
// deploy, transaction hashes are not checked against a chain).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { execFileSync } from 'node:child_process';
import { Interface, Wallet, getAddress, keccak256, toUtf8Bytes } from 'ethers';

const here = path.dirname(fileURLToPath(import.meta.url));
const contracts = path.resolve(here, '..', 'contracts');

const TRANSFER_GAS = 21_000n;
// An ERC-20 transfer to an address holding no tokens yet costs about 52,000 gas (a zero-to-non-zero SSTORE); the
// limit is fixed so every target sees byte-identical transactions, and checked against eth_estimateGas at setup.
const ERC20_TRANSFER_GAS = 60_000n;
const ERC20_DEPLOY_GAS = 2_000_000n;
const RECIPIENTS = 1_000;
const erc20 = new Interface(['constructor(uint256 initialSupply)', 'function transfer(address to, uint256 value) returns (bool)']);

function parseArgs(argv) {
  const options = {
    rpc: undefined, accounts: undefined, workload: 'transfer', txs: 10_000, senders: 100, batch: 200, concurrency: 4,
    pollMs: 20, stallS: 60, pids: [], target: undefined, sink: false, out: undefined, warmup: 0,
  };
  const integer = (name, text, min, max) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`--${name} must be an integer from ${min} to ${max}, got "${text}"`);
    }
    return value;
  };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${name} needs a value`);
      return argv[++i];
    };
    switch (name) {
      case '--rpc': options.rpc = value(); break;
      case '--accounts': options.accounts = value(); break;
      case '--workload': options.workload = value(); break;
      case '--txs': options.txs = integer('txs', value(), 1, 1_000_000); break;
      case '--warmup': options.warmup = integer('warmup', value(), 0, 1_000_000); break;
      case '--senders': options.senders = integer('senders', value(), 1, 10_000); break;
      case '--batch': options.batch = integer('batch', value(), 1, 1_000); break;
      case '--concurrency': options.concurrency = integer('concurrency', value(), 1, 64); break;
      case '--poll-ms': options.pollMs = integer('poll-ms', value(), 1, 10_000); break;
      case '--stall-s': options.stallS = integer('stall-s', value(), 1, 3_600); break;
      case '--pids': options.pids = value().split(',').filter((p) => p !== '').map((p) => integer('pids', p, 1, 2 ** 31)); break;
      case '--target': options.target = value(); break;
      case '--sink': options.sink = true; break;
      case '--out': options.out = value(); break;
      default: throw new Error(`unknown option "${name}"`);
    }
  }
  if (!options.rpc) throw new Error('--rpc URL is required');
  if (!options.accounts) throw new Error('--accounts FILE is required');
  if (options.workload !== 'transfer' && options.workload !== 'erc20') {
    throw new Error(`--workload must be transfer or erc20, got "${options.workload}"`);
  }
  options.rpcs = options.rpc.split(',').filter((u) => u !== '');
  options.rpc = options.rpcs[0];
  options.target ??= options.rpc;
  return options;
}

/**
 * Posts one JSON-RPC request or batch (a pre-serialised body or an object) and returns the parsed answer. With
 * `retry`, a connection the server closed while idle (Hardhat closes keep-alive sockets after 5 s, while we sign)
 * is retried once on a new one; only reads and setup use it, never the timed submissions.
 */
async function post(url, body, retry = false) {
  try {
    return await postOnce(url, body);
  } catch (e) {
    if (!retry || !(e instanceof TypeError)) throw e;
    return postOnce(url, body);
  }
}

async function postOnce(url, body) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}: ${text.slice(0, 200)}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${url} answered with invalid JSON: ${text.slice(0, 200)}`);
  }
}

let nextId = 1_000_000_000;
async function call(url, method, params = []) {
  const answer = await post(url, { jsonrpc: '2.0', id: nextId++, method, params }, true);
  if (answer.error) throw new Error(`${method} failed: ${answer.error.message ?? JSON.stringify(answer.error)}`);
  return answer.result;
}

/** Calls each [method, params] in one batch; answers in request order. */
async function callBatch(url, calls) {
  if (calls.length === 0) return [];
  const first = nextId;
  nextId += calls.length;
  const answers = await post(url, calls.map(([method, params], k) => ({ jsonrpc: '2.0', id: first + k, method, params })), true);
  if (!Array.isArray(answers)) throw new Error(`batch of ${calls.length} ${calls[0][0]} got a non-array answer: ${JSON.stringify(answers).slice(0, 200)}`);
  const byId = new Map(answers.map((a) => [a.id, a]));
  return calls.map(([method], k) => {
    const a = byId.get(first + k);
    if (!a) throw new Error(`batch answer lacks the ${method} call with id ${first + k}`);
    if (a.error) throw new Error(`${method} failed: ${a.error.message ?? JSON.stringify(a.error)}`);
    return a.result;
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForReceipts(url, hashes, what, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  const receipts = new Array(hashes.length).fill(null);
  for (;;) {
    const missing = [];
    for (let i = 0; i < hashes.length; i++) if (!receipts[i]) missing.push(i);
    if (missing.length === 0) break;
    if (Date.now() > deadline) throw new Error(`${what}: ${missing.length} of ${hashes.length} transactions have no receipt after ${timeoutMs / 1000} s`);
    for (let start = 0; start < missing.length; start += 500) {
      const chunk = missing.slice(start, start + 500);
      const got = await callBatch(url, chunk.map((i) => ['eth_getTransactionReceipt', [hashes[i]]]));
      chunk.forEach((i, k) => { receipts[i] = got[k]; });
    }
    await sleep(100);
  }
  const failed = receipts.findIndex((r) => r.status !== '0x1');
  if (failed >= 0) throw new Error(`${what}: transaction ${hashes[failed]} reverted (status ${receipts[failed].status})`);
  return receipts;
}

async function sendRaw(url, raws, what) {
  const hashes = await callBatch(url, raws.map((raw) => ['eth_sendRawTransaction', [raw]]));
  raws.forEach((raw, i) => {
    if (hashes[i] !== keccak256(raw)) throw new Error(`${what}: the target answered hash ${hashes[i]} for a transaction whose hash is ${keccak256(raw)}`);
  });
  return hashes;
}

function peakRssKb(pids) {
  let total = 0;
  for (const pid of pids) {
    let status;
    try {
      status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    } catch {
      return null; // a process that is gone has no peak to read: report none rather than a partial sum
    }
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
    if (!match) return null;
    total += Number(match[1]);
  }
  return pids.length > 0 ? total : null;
}

/** CPU seconds (user + system, all threads) the processes have used so far; null when one cannot be read. */
let ticksPerSecond;
function cpuSeconds(pids) {
  if (pids.length === 0) return null;
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  let ticks = 0;
  for (const pid of pids) {
    let stat;
    try {
      stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      return null;
    }
    // Fields after the command name (which may hold spaces) start at field 3; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / ticksPerSecond;
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const { rpc } = options;
  const log = (text) => process.stderr.write(`[${options.target} ${options.workload}] ${text}\n`);

  // --- setup (untimed) ---
  const chainId = BigInt(await call(rpc, 'eth_chainId'));
  const accounts = JSON.parse(fs.readFileSync(options.accounts, 'utf8'));
  if (!Array.isArray(accounts) || accounts.length < options.senders) {
    throw new Error(`${options.accounts} must list at least ${options.senders} accounts ({address, privateKey}); it has ${Array.isArray(accounts) ? accounts.length : 'no list'}`);
  }
  const wallets = accounts.slice(0, options.senders).map((a) => new Wallet(a.privateKey));
  const latest = await call(rpc, 'eth_getBlockByNumber', ['latest', false]);
  if (latest.baseFeePerGas === undefined) throw new Error('the target\'s latest block has no baseFeePerGas: it does not support EIP-1559 (type 2) transactions');
  // EIP-1559 on every target. No tip: a consortium chain charges none and the peers do not need one to include a
  // transaction. The fee cap leaves room for the base fee to rise while blocks are full (Ganache's starts at 0.875 gwei).
  const baseFee = BigInt(latest.baseFeePerGas);
  const fees = { maxFeePerGas: baseFee * 4n + 1_000_000_000n, maxPriorityFeePerGas: 0n };
  const nonces = (await callBatch(rpc, wallets.map((w) => ['eth_getTransactionCount', [w.address, 'pending']]))).map((n) => BigInt(n));
  const recipients = [];
  for (let i = 0; i < RECIPIENTS; i++) recipients.push(getAddress('0x' + keccak256(toUtf8Bytes(`trellis-bench-compare-recipient-${i}`)).slice(26)));

  const sign = (wallet, nonce, fields) => wallet.signTransaction({ type: 2, chainId, nonce: Number(nonce), ...fees, ...fields });

  let token = '0x00000000000000000000000000000000000000e2';
  if (options.workload === 'erc20' && !options.sink) {
    // Deploy the token from sender 0 and give every other sender a share, then check the transfer gas limit.
    const creation = '0x' + fs.readFileSync(path.join(contracts, 'Erc20.creation.hex'), 'utf8').trim();
    const supply = 10n ** 30n;
    const deploy = await sign(wallets[0], nonces[0]++, { gasLimit: ERC20_DEPLOY_GAS, data: creation + erc20.encodeDeploy([supply]).slice(2) });
    const [deployHash] = await sendRaw(rpc, [deploy], 'deploy Erc20');
    const [receipt] = await waitForReceipts(rpc, [deployHash], 'deploy Erc20');
    token = getAddress(receipt.contractAddress);
    const share = supply / BigInt(2 * options.senders);
    const funding = [];
    for (let s = 1; s < wallets.length; s++) {
      funding.push(await sign(wallets[0], nonces[0]++, { to: token, gasLimit: ERC20_TRANSFER_GAS, data: erc20.encodeFunctionData('transfer', [wallets[s].address, share]) }));
    }
    await waitForReceipts(rpc, await sendRaw(rpc, funding, 'fund senders with tokens'), 'fund senders with tokens');
    const estimate = BigInt(await call(rpc, 'eth_estimateGas', [{
      from: wallets[wallets.length - 1].address, to: token, data: erc20.encodeFunctionData('transfer', [recipients[0], 1n]),
    }]));
    if (estimate > ERC20_TRANSFER_GAS) throw new Error(`an ERC-20 transfer to a new holder needs ${estimate} gas, above the fixed limit ${ERC20_TRANSFER_GAS}`);
    log(`token ${token}, transfer to a new holder estimated at ${estimate} gas`);
  }

  const n = options.txs;
  const warmup = options.sink ? 0 : options.warmup;
  const all = new Array(warmup + n);
  const signStart = performance.now();
  for (let i = 0; i < all.length; i++) {
    const s = i % wallets.length;
    const nonce = nonces[s] + BigInt(Math.floor(i / wallets.length));
    const to = recipients[i % RECIPIENTS];
    all[i] = await sign(wallets[s], nonce, options.workload === 'transfer'
      ? { to, value: 1n, gasLimit: TRANSFER_GAS }
      : { to: token, value: 0n, gasLimit: ERC20_TRANSFER_GAS, data: erc20.encodeFunctionData('transfer', [to, 1n]) });
  }
  const signSeconds = (performance.now() - signStart) / 1000;
  if (warmup > 0) {
    const hashes = [];
    for (let start = 0; start < warmup; start += options.batch) {
      hashes.push(...await sendRaw(rpc, all.slice(start, Math.min(warmup, start + options.batch)), 'warm-up'));
    }
    await waitForReceipts(rpc, hashes, 'warm-up');
    log(`${warmup} warm-up transactions committed`);
  }
  const raws = all.slice(warmup);
  const hashIndex = new Map();
  // sink.mjs answers with a fake hash (the raw transaction's last 32 bytes) instead of hashing.
  for (let i = 0; i < n; i++) hashIndex.set(options.sink ? '0x' + raws[i].slice(-64) : keccak256(raws[i]), i);
  // Round-robin over senders, so one batch carries consecutive nonces of many accounts and few gaps arise even
  // when batches in flight overtake each other.
  const bodies = [];
  for (let start = 0; start < n; start += options.batch) {
    const end = Math.min(n, start + options.batch);
    const calls = [];
    for (let i = start; i < end; i++) calls.push(`{"jsonrpc":"2.0","id":${i},"method":"eth_sendRawTransaction","params":["${raws[i]}"]}`);
    bodies.push({ start, end, body: `[${calls.join(',')}]` });
  }
  log(`chain ${chainId}, ${all.length} type-2 transactions from ${wallets.length} senders signed in ${signSeconds.toFixed(1)} s; timing ${n} in ${bodies.length} batches of up to ${options.batch}`);

  // --- timed ---
  const submitted = new Float64Array(n).fill(NaN);
  const committed = new Float64Array(n).fill(NaN);
  const rejected = [];
  let wrongHashes = 0;
  let committedCount = 0;
  let blocksWithOurs = 0;
  let largestBlock = 0;
  let submitting = true;
  let firstSubmit = NaN;
  let lastSubmitAnswer = NaN;
  // Fresh keep-alive connections for the submitters and the poller (idle ones may have been closed while signing).
  const heads = await Promise.all(Array.from({ length: options.concurrency + 1 }, (_, k) => call(options.rpcs[k % options.rpcs.length], 'eth_blockNumber')));
  let head = BigInt(heads[heads.length - 1]);
  const cpuStart = process.cpuUsage();
  const targetCpuStart = cpuSeconds(options.pids);
  const wallStart = performance.now();

  async function submitter(queue) {
    for (let b = queue.next(); b !== undefined; b = queue.next()) {
      const { start, end, body } = bodies[b];
      const url = options.rpcs[b % options.rpcs.length];
      const sentAt = performance.now();
      if (Number.isNaN(firstSubmit)) firstSubmit = sentAt;
      for (let i = start; i < end; i++) submitted[i] = sentAt;
      let answers;
      try {
        answers = await post(url, body);
      } catch (e) {
        for (let i = start; i < end; i++) rejected.push({ index: i, message: e.message });
        continue;
      }
      if (!Array.isArray(answers)) {
        const message = answers?.error?.message ?? JSON.stringify(answers).slice(0, 200);
        for (let i = start; i < end; i++) rejected.push({ index: i, message });
        continue;
      }
      for (const a of answers) {
        if (a.error) rejected.push({ index: a.id, message: a.error.message ?? JSON.stringify(a.error) });
        else if (hashIndex.get(a.result) !== a.id) wrongHashes++;
      }
      lastSubmitAnswer = performance.now();
    }
  }

  let lastProgress = performance.now();
  let pollErrors = 0;
  let lastPollError = null;
  // Reads blocks head+1..number; stops early at a block the target announced but cannot return yet (Ganache in
  // strict instamine mode raises eth_blockNumber a moment before the block is readable): the next poll retries it.
  async function readNewBlocks(number, seenAt) {
    for (let from = head + 1n; from <= number; from += 200n) {
      const wanted = [];
      for (let h = from; h <= number && h < from + 200n; h++) wanted.push(['eth_getBlockByNumber', ['0x' + h.toString(16), false]]);
      const blocks = await callBatch(rpc, wanted);
      for (const block of blocks) {
        if (!block) return;
        let ours = 0;
        for (const hash of block.transactions) {
          const i = hashIndex.get(hash);
          if (i !== undefined && Number.isNaN(committed[i])) {
            committed[i] = seenAt;
            committedCount++;
            ours++;
          }
        }
        if (ours > 0) {
          blocksWithOurs++;
          largestBlock = Math.max(largestBlock, ours);
          lastProgress = seenAt;
        }
        head = BigInt(block.number);
      }
    }
  }

  async function poller() {
    while (committedCount + rejected.length < n || submitting) {
      try {
        const number = BigInt(await call(rpc, 'eth_blockNumber'));
        if (number > head) await readNewBlocks(number, performance.now());
      } catch (e) {
        // A failed poll delays what it would have seen; only a target that stays silent ends the run (below).
        pollErrors++;
        lastPollError = e.message;
      }
      if (!submitting && performance.now() - lastProgress > options.stallS * 1000) {
        log(`no transaction committed for ${options.stallS} s; giving up with ${n - committedCount - rejected.length} outstanding`);
        break;
      }
      await sleep(options.pollMs);
    }
  }

  let nextBatch = 0;
  const queue = { next: () => (nextBatch < bodies.length ? nextBatch++ : undefined) };
  const polling = poller();
  await Promise.all(Array.from({ length: Math.min(options.concurrency, bodies.length) }, () => submitter(queue)));
  submitting = false;
  lastProgress = Math.max(lastProgress, performance.now());
  await polling;
  const cpu = process.cpuUsage(cpuStart);
  const targetCpuEnd = cpuSeconds(options.pids);
  const targetCpu = targetCpuStart == null || targetCpuEnd == null ? null : targetCpuEnd - targetCpuStart;
  const wall = performance.now() - wallStart;

  // --- results ---
  const latencies = [];
  let lastCommit = NaN;
  for (let i = 0; i < n; i++) {
    if (!Number.isNaN(committed[i])) {
      latencies.push(committed[i] - submitted[i]);
      if (!(committed[i] <= lastCommit)) lastCommit = committed[i];
    }
  }
  latencies.sort((a, b) => a - b);
  const seconds = (lastCommit - firstSubmit) / 1000;
  const result = {
    target: options.target,
    workload: options.workload,
    txs: n,
    warmup,
    committed: committedCount,
    rejected: rejected.length,
    firstRejection: rejected.length > 0 ? `tx ${rejected[0].index}: ${rejected[0].message}` : null,
    wrongHashes,
    pollErrors,
    seconds: Number.isFinite(seconds) ? Number(seconds.toFixed(3)) : null,
    tps: committedCount > 0 && seconds > 0 ? Math.round(committedCount / seconds) : null,
    p50Ms: latencies.length ? Math.round(percentile(latencies, 50)) : null,
    p99Ms: latencies.length ? Math.round(percentile(latencies, 99)) : null,
    submitSeconds: Number(((lastSubmitAnswer - firstSubmit) / 1000).toFixed(3)),
    submitTps: Math.round(n / ((lastSubmitAnswer - firstSubmit) / 1000)),
    blocks: blocksWithOurs,
    largestBlock,
    peakRssKb: peakRssKb(options.pids),
    // The target's own CPU time from the first batch until every transaction was seen committed (plus the final
    // stall wait, if any): committed transactions per CPU-second is the figure least disturbed by a shared machine.
    targetCpuSeconds: targetCpu == null ? null : Number(targetCpu.toFixed(2)),
    txPerCpuSecond: targetCpu ? Math.round(committedCount / targetCpu) : null,
    processes: options.pids.length,
    generatorCpuPercent: Math.round(((cpu.user + cpu.system) / 1000 / wall) * 100),
    chainId: Number(chainId),
    txType: 2,
    batch: options.batch,
    concurrency: options.concurrency,
  };
  const line = JSON.stringify(result);
  if (options.out) fs.appendFileSync(options.out, line + '\n');
  console.log(line);
  log(`committed ${committedCount}/${n} (${rejected.length} rejected) in ${result.seconds} s: ${result.tps} TPS, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms`);
  if (rejected.length > 0) log(`first rejection: ${result.firstRejection}`);
  if (pollErrors > 0) log(`${pollErrors} polls failed; the last: ${lastPollError}`);
  if (wrongHashes > 0) log(`${wrongHashes} submissions were answered with a hash other than the transaction's`);
  process.exitCode = committedCount === n && wrongHashes === 0 ? 0 : 1;
}

main().catch((e) => {
  process.stderr.write(`loadgen: ${e.message}${e.cause ? ` (${e.cause.message ?? e.cause})` : ""}\n`);
  process.exitCode = 2;
});
