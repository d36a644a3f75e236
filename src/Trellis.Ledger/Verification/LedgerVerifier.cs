using Trellis.Core;
using Trellis.Core.Rlp;
using Trellis.Crypto;
using Trellis.Ledger.Blocks;
using Trellis.Ledger.Execution;
using Trellis.Ledger.Genesis;
using Trellis.Ledger.Storage;
using Trellis.State;
using Trellis.State.Storage;
using Trellis.State.Trie;

namespace Trellis.Ledger.Verification;

/// <summary>
/// Re-checks a stored ledger block by block from genesis and names the first bad block. Headers only: the head
/// pointer, the height index, header hashes, heights, parent links, timestamps and the genesis hash against the
/// configuration. Full: also the transactions and receipts roots recomputed from the stored bodies and receipts,
/// the transaction index, re-execution of every block from the configured genesis in a fresh in-memory store
/// (state root, receipts root, gas used and bloom must match the header), and an integrity walk of the STORED state
/// trie of each block (every node reachable from its state root must be present and hash to its key).
/// </summary>
/// <remarks>
/// Consensus certificates are not checked here (they are the engine's); a ledger rewritten consistently from some
/// block on, hashes and all, passes this check and is caught by comparing head hashes with other nodes.
/// </remarks>
public sealed class LedgerVerifier
{
    private readonly ICryptoSuite _suite;
    private readonly ChainConfig _config;

    /// <summary>Creates a verifier for one chain.</summary>
    public LedgerVerifier(ICryptoSuite suite, ChainConfig config)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(config);
        _suite = suite;
        _config = config;
    }

    /// <summary>Verifies the ledger in <paramref name="store"/>; see the class summary for what each mode checks.</summary>
    public VerifyResult Verify(IKeyValueStore store, bool headersOnly, IProgress<VerifyProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        BlockStore blocks;
        try
        {
            blocks = new BlockStore(store, _suite);
        }
        catch (LedgerStoreException e)
        {
            return VerifyResult.Bad(0, 0, Hash256.Zero, null, null, e.Message);
        }

        if (blocks.Head is not BlockHeader head)
        {
            return VerifyResult.Bad(0, 0, Hash256.Zero, null, null, "the store has no head block: it is empty or not a Trellis ledger");
        }

        if (blocks.ChainId is ulong chainId && chainId != _config.ChainId)
        {
            return VerifyResult.Bad(0, head.Height, blocks.HeadHash, null, null, $"the store belongs to chain {chainId}, not to the configuration's chain {_config.ChainId}");
        }

        ulong headHeight = head.Height;
        Hash256 headHash = blocks.HeadHash;
        using var run = new Run(this, store, blocks, headersOnly);
        for (ulong height = 0; height <= headHeight; height++)
        {
            Hash256? stored = null;
            string? problem;
            try
            {
                stored = blocks.GetBlockHash(height);
                problem = stored is Hash256 hash ? run.Check(height, hash) : $"no block hash is stored at height {height} (head is {headHeight})";
            }
            catch (Exception e) when (e is LedgerStoreException or RlpException or TrieException or InvalidOperationException)
            {
                problem = e.Message;
            }

            if (problem is not null)
            {
                return VerifyResult.Bad(height, headHeight, headHash, height, stored, problem);
            }

            progress?.Report(new VerifyProgress(height, headHeight));
            if (height == ulong.MaxValue)
            {
                break;
            }
        }

        if (run.LastHash != headHash)
        {
            return VerifyResult.Bad(headHeight, headHeight, headHash, headHeight, run.LastHash, $"the head pointer names {headHash}, but the block stored at height {headHeight} is {run.LastHash}");
        }

        return VerifyResult.Ok(headHeight + 1, headHeight, headHash);
    }

    // The state of one verification: the previous block, the re-execution state and the trie walker.
    private sealed class Run : IDisposable
    {
        private readonly LedgerVerifier _owner;
        private readonly BlockStore _blocks;
        private readonly bool _headersOnly;
        private readonly List<Hash256> _hashes = [];
        private readonly MemoryStore _replayStore = new();
        private readonly BlockExecutor _executor;
        private readonly StateTrieWalker _walker;
        private readonly Hash256 _emptyRoot;
        private BlockHeader? _previous;

        public Run(LedgerVerifier owner, IKeyValueStore store, BlockStore blocks, bool headersOnly)
        {
            _owner = owner;
            _blocks = blocks;
            _headersOnly = headersOnly;
            _executor = new BlockExecutor(owner._suite, owner._config);
            _walker = new StateTrieWalker(store, owner._suite);
            _emptyRoot = PatriciaTrie.ComputeRoot(owner._suite, []);
        }

        public void Dispose() => _replayStore.Dispose();

        public Hash256 LastHash => _hashes.Count == 0 ? Hash256.Zero : _hashes[^1];

        public string? Check(ulong height, Hash256 hash)
        {
            ICryptoSuite suite = _owner._suite;
            BlockHeader header = _blocks.GetHeader(hash) ?? throw new LedgerStoreException($"the header of block {height} ({hash}) is not stored");
            Hash256 actual = header.ComputeHash(suite);
            if (actual != hash)
            {
                return $"the stored header hashes to {actual}, not to the hash {hash} indexed at height {height}";
            }

            if (header.Height != height)
            {
                return $"the header says height {header.Height}, but it is stored at height {height}";
            }

            string? problem = height == 0 ? CheckGenesis(header, hash) : CheckLink(header);
            if (problem is not null)
            {
                return problem;
            }

            if (!_headersOnly)
            {
                problem = CheckContents(header, hash);
            }

            _hashes.Add(hash);
            _previous = header;
            return problem;
        }

        private string? CheckGenesis(BlockHeader header, Hash256 hash)
        {
            if (header.ParentHash != Hash256.Zero)
            {
                return $"the genesis block's parent hash is {header.ParentHash}, not zero";
            }

            // Also the replay's starting state: the genesis state written into the fresh in-memory store.
            Block expected = GenesisBlock.Create(_owner._config, _replayStore);
            Hash256 expectedHash = expected.Header.ComputeHash(_owner._suite);
            return expectedHash == hash
                ? null
                : $"the genesis block {hash} is not the configuration's genesis {expectedHash} (chain {_owner._config.ChainId}): wrong genesis.json or another chain's data";
        }

        private string? CheckLink(BlockHeader header)
        {
            BlockHeader previous = _previous!;
            Hash256 previousHash = _hashes[^1];
            if (header.ParentHash != previousHash)
            {
                return $"the parent hash {header.ParentHash} is not the hash {previousHash} of block {previous.Height}";
            }

            if (header.Timestamp < previous.Timestamp)
            {
                return $"the timestamp {header.Timestamp} is before the parent's {previous.Timestamp}";
            }

            return null;
        }

        private string? CheckContents(BlockHeader header, Hash256 hash)
        {
            ICryptoSuite suite = _owner._suite;
            Block block = _blocks.GetBlock(hash) ?? throw new LedgerStoreException($"the body of block {header.Height} is not stored");
            Hash256 transactionsRoot = BlockRoots.Transactions(suite, block.Transactions);
            if (transactionsRoot != header.TransactionsRoot)
            {
                return $"the transactions root {header.TransactionsRoot} in the header != {transactionsRoot} computed from the stored transactions";
            }

            IReadOnlyList<Receipt> receipts = _blocks.GetReceipts(hash) ?? throw new LedgerStoreException($"the receipts of block {header.Height} are not stored");
            if (receipts.Count != block.Transactions.Count)
            {
                return $"{receipts.Count} receipts are stored for {block.Transactions.Count} transactions";
            }

            Hash256 receiptsRoot = BlockRoots.Receipts(suite, receipts);
            if (receiptsRoot != header.ReceiptsRoot)
            {
                return $"the receipts root {header.ReceiptsRoot} in the header != {receiptsRoot} computed from the stored receipts";
            }

            for (int i = 0; i < block.Transactions.Count; i++)
            {
                Hash256 transactionHash = block.Transactions[i].ComputeHash(suite);
                bool indexed = _blocks.TryGetTransactionPosition(transactionHash, out ulong indexedHeight, out int indexedPosition, out _);
                if (!indexed || indexedHeight != header.Height || indexedPosition != i)
                {
                    string found = indexed ? $"pointing at block {indexedHeight} index {indexedPosition}" : "missing";
                    return $"the index entry of transaction {i} ({transactionHash}) is {found}";
                }
            }

            string? problem = header.Height == 0 ? CheckGenesisContents(header, block) : Replay(header, block);
            if (problem is not null)
            {
                return problem;
            }

            problem = _walker.Check(header.StateRoot);
            return problem is null ? null : $"stored state: {problem}";
        }

        private string? CheckGenesisContents(BlockHeader header, Block block)
        {
            if (block.Transactions.Count != 0)
            {
                return $"the genesis block holds {block.Transactions.Count} transactions; it holds none";
            }

            return header.TransactionsRoot == _emptyRoot && header.ReceiptsRoot == _emptyRoot
                ? null
                : "the genesis block's transactions or receipts root is not the empty trie's";
        }

        private string? Replay(BlockHeader header, Block block)
        {
            var state = new WorldState(_replayStore, _owner._suite, _previous!.StateRoot);
            BlockExecutionResult result = _executor.Execute(state, _previous, block, BlockHash);
            if (!result.IsValid)
            {
                return $"re-execution from genesis disagrees: {result.InvalidReason}";
            }

            using IWriteBatch batch = _replayStore.StartBatch();
            Hash256 root = state.Commit(batch);
            batch.Commit();
            return root == header.StateRoot ? null : $"re-execution gives state root {root}, the header has {header.StateRoot}";
        }

        private Hash256? BlockHash(ulong height) => height < (ulong)_hashes.Count ? _hashes[(int)height] : null;
    }
}
