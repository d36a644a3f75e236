// An accept-and-discard JSON-RPC endpoint: the load generator's own ceiling. It answers eth_sendRawTransaction with
// a fake hash (the last 32 bytes of the raw transaction: the signature's s, unique per transaction; hashing would make
// this single-threaded sink, not the generator, the limit) and otherwise discards the transaction; each
// eth_blockNumber that finds transactions received since the last one seals them into a new "block", so the
// generator's whole path (signing aside: that happens before timing) runs as against an infinitely fast chain:
// batched submission, polling, block fetches and latency bookkeeping.
// Usage: node sink.mjs PORT [HOST]
import http from 'node:http';

const port = Number(process.argv[2]);
const host = process.argv[3] ?? '127.0.0.1';
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`sink.mjs: PORT must be an integer from 1 to 65535, got "${process.argv[2]}"`);
  process.exit(2);
}

const chainId = '0x539';
const blocks = [[]]; // blocks[n] = transaction hashes of block n; block 0 is empty
let pending = [];

function block(number) {
  return {
    number: '0x' + number.toString(16),
    hash: '0x' + number.toString(16).padStart(64, '0'),
    baseFeePerGas: '0x0',
    gasLimit: '0x1c9c380',
    timestamp: '0x0',
    transactions: blocks[number],
  };
}

function answer(call) {
  const { id, method, params } = call ?? {};
  switch (method) {
    case 'eth_sendRawTransaction': {
      const raw = Array.isArray(params) ? params[0] : undefined;
      if (typeof raw !== 'string' || raw.length < 66 || !raw.startsWith('0x')) {
        return { jsonrpc: '2.0', id, error: { code: -32602, message: 'eth_sendRawTransaction: params[0] must be 0x-prefixed hex bytes' } };
      }
      const hash = '0x' + raw.slice(-64);
      pending.push(hash);
      return { jsonrpc: '2.0', id, result: hash };
    }
    case 'eth_blockNumber':
      if (pending.length > 0) {
        blocks.push(pending);
        pending = [];
      }
      return { jsonrpc: '2.0', id, result: '0x' + (blocks.length - 1).toString(16) };
    case 'eth_getBlockByNumber': {
      const tag = Array.isArray(params) ? params[0] : undefined;
      const number = tag === 'latest' ? blocks.length - 1 : Number.parseInt(tag, 16);
      return { jsonrpc: '2.0', id, result: number >= 0 && number < blocks.length ? block(number) : null };
    }
    case 'eth_chainId':
      return { jsonrpc: '2.0', id, result: chainId };
    case 'eth_getTransactionCount':
      return { jsonrpc: '2.0', id, result: '0x0' };
    default:
      return { jsonrpc: '2.0', id, error: { code: -32601, message: `method ${method} is not served by the sink` } };
  }
}

const server = http.createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/health') {
    response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    return;
  }
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    let body;
    try {
      const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      body = JSON.stringify(Array.isArray(parsed) ? parsed.map(answer) : answer(parsed));
    } catch (e) {
      body = JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32700, message: `parse error: ${e.message}` } });
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(port, host, () => console.log(`sink listening on http://${host}:${port}`));
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
