// Gives a freshly created, STOPPED Trellis network directory the benchmark's chain settings, as an operator would
// write them into genesis before the chain's first block: the block gas limit every target of the run shares, a
// transaction pool that holds the whole load, and (optionally) the block interval. Because genesis settings are part
// of block 0, each node's data directory (created when `up` first ran the nodes) is removed so the chain restarts from
// the edited genesis. The per-IP JSON-RPC rate limit of each node.json is switched off: the peers have none, and one
// load generator on 127.0.0.1 is not the abuse it guards against.
// Works with both layouts of `trellis up`: DIR/node0/node.json (one-node Solo) and DIR/nodes/<name>/node.json.
// Usage: node trellis-tune.mjs DIR --gas-limit G --pool N [--interval-ms MS]
import fs from 'node:fs';
import path from 'node:path';

const [dirArg, ...rest] = process.argv.slice(2);
const options = {};
for (let i = 0; i < rest.length; i += 2) {
  const value = Number(rest[i + 1]);
  if (!Number.isSafeInteger(value) || value <= 0) {
    console.error(`trellis-tune.mjs: ${rest[i]} needs a positive integer, got "${rest[i + 1]}"`);
    process.exit(2);
  }
  options[rest[i]] = value;
}
if (!dirArg || !options['--gas-limit'] || !options['--pool']) {
  console.error('usage: node trellis-tune.mjs DIR --gas-limit G --pool N [--interval-ms MS]');
  process.exit(2);
}
const dir = path.resolve(dirArg);
const genesisFile = path.join(dir, 'genesis.json');
if (!fs.existsSync(genesisFile)) {
  console.error(`trellis-tune.mjs: ${genesisFile} does not exist: not a Trellis network directory`);
  process.exit(1);
}

const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
const writeJson = (file, value) => fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n');

const genesis = readJson(genesisFile);
genesis.blockGasLimit = options['--gas-limit'];
genesis.txPool = { ...(genesis.txPool ?? {}), maxCount: Math.max(genesis.txPool?.maxCount ?? 0, options['--pool']) };
if (options['--interval-ms']) {
  genesis.consensus = { ...(genesis.consensus ?? {}), blockIntervalMs: options['--interval-ms'] };
}
writeJson(genesisFile, genesis);

const nodeFiles = [];
if (fs.existsSync(path.join(dir, 'node0', 'node.json'))) nodeFiles.push(path.join(dir, 'node0', 'node.json'));
if (fs.existsSync(path.join(dir, 'nodes'))) {
  for (const name of fs.readdirSync(path.join(dir, 'nodes')).sort()) {
    const file = path.join(dir, 'nodes', name, 'node.json');
    if (fs.existsSync(file)) nodeFiles.push(file);
  }
}
if (nodeFiles.length === 0) {
  console.error(`trellis-tune.mjs: ${dir} holds no node.json (looked in node0/ and nodes/*/)`);
  process.exit(1);
}
for (const file of nodeFiles) {
  const node = readJson(file);
  if (node.rpc && typeof node.rpc === 'object') {
    node.rpc.rateLimitPerSecond = 0;
  } else if ('rateLimitPerSecond' in node) {
    node.rateLimitPerSecond = 0;
  }
  writeJson(file, node);
  const data = path.resolve(path.dirname(file), node.dataDir ?? 'data');
  // Only ever inside the network directory: this deletes a chain.
  if (!data.startsWith(dir + path.sep)) {
    console.error(`trellis-tune.mjs: ${file} names data directory ${data}, outside ${dir}; refusing to remove it`);
    process.exit(1);
  }
  fs.rmSync(data, { recursive: true, force: true });
}
console.error(`trellis-tune.mjs: ${dir}: blockGasLimit ${genesis.blockGasLimit}, txPool.maxCount ${genesis.txPool.maxCount}` +
  `${options['--interval-ms'] ? `, blockIntervalMs ${options['--interval-ms']}` : ''}, rate limit off and data reset on ${nodeFiles.length} node(s)`);
