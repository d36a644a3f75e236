using System.Collections.Concurrent;
using Trellis.Consensus;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Ledger.Blocks;
using Trellis.Ledger.Execution;
using Trellis.Ledger.Pool;
using Trellis.Ledger.Transactions;
using Trellis.Node.Engines;
using Trellis.State;

namespace Trellis.Node.Tests.P2p;

/// <summary>
/// A stand-in networked engine: it commits a block when a test says so (everything executable in the pool, empty
/// blocks allowed), certifies blocks with a marker a test can forge or break (the suite hash of "test-cert" and the
/// block hash), and applies synced blocks by checking that marker and re-executing them with the real
/// <see cref="BlockExecutor"/>. The node's gossip, announcement, sync and status code is what is under test.
/// </summary>
internal sealed class TestNetworkedEngine : INetworkedConsensusEngine
{
    private readonly EngineContext _context;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Serialises commits: the engine is the only writer of the block store.
    private readonly SemaphoreSlim _gate = new(1, 1);

    public TestNetworkedEngine(EngineContext context) => _context = context;

    public event EventHandler<BlockCommittedEventArgs>? BlockCommitted;

    public string Name => "test";

    public Task Completion => _completion.Task;

    public IConsensusNetwork? Network { get; private set; }

    public ConcurrentQueue<(Address From, byte[] Message)> Received { get; } = new();

    public ConcurrentQueue<Hash256> Submitted { get; } = new();

    public ulong ClaimedNetworkHeight { get; set; }

    public ulong KnownNetworkHeight => Math.Max(ClaimedNetworkHeight, _context.Blocks.Head!.Height);

    public string Role => _context.SigningKey is null ? "observer" : "validator";

    public bool Started { get; private set; }

    public static byte[] CertificateFor(ICryptoSuite suite, Hash256 blockHash)
    {
        byte[] data = [.. "test-cert"u8, .. blockHash.Bytes];
        return suite.Hash(data).ToArray();
    }

    public void Connect(IConsensusNetwork network) => Network = network;

    public void Start() => Started = true;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _completion.TrySetResult();
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _completion.TrySetResult();
        return ValueTask.CompletedTask;
    }

    public TxPoolResult Submit(ReadOnlySpan<byte> rawTransaction)
    {
        TxPoolResult result = _context.Pool.TryAdd(rawTransaction);
        if (result.IsAccepted)
        {
            Submitted.Enqueue(result.Hash);
        }

        return result;
    }

    public void Receive(Address from, ReadOnlyMemory<byte> message) => Received.Enqueue((from, message.ToArray()));

    public bool VerifyCommitCertificate(Block block, out string? error)
    {
        byte[] expected = CertificateFor(_context.Suite, block.Header.ComputeHash(_context.Suite));
        error = block.Header.ConsensusCertificate.Span.SequenceEqual(expected) ? null : $"block {block.Header.Height} carries no valid test certificate";
        return error is null;
    }

    public async Task<SyncApplyResult> ApplySyncedBlocksAsync(IReadOnlyList<Block> blocks, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            for (int i = 0; i < blocks.Count; i++)
            {
                Block block = blocks[i];
                if (!VerifyCommitCertificate(block, out string? error))
                {
                    return new SyncApplyResult(i, error);
                }

                BlockHeader parent = _context.Blocks.Head!;
                if (block.Header.Height != parent.Height + 1)
                {
                    return new SyncApplyResult(i, $"block {block.Header.Height} does not follow head {parent.Height}");
                }

                var state = new WorldState(_context.Store, _context.Suite, parent.StateRoot);
                BlockExecutionResult result = _context.Executor.Execute(state, parent, block, _context.Blocks.GetBlockHash);
                if (!result.IsValid)
                {
                    return new SyncApplyResult(i, result.InvalidReason);
                }

                Commit(block, result, state);
            }

            return new SyncApplyResult(blocks.Count, null);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Commits one certified block of whatever the pool holds (possibly none).</summary>
    public async Task<Block> CommitPendingAsync()
    {
        await _gate.WaitAsync();
        try
        {
            BlockHeader parent = _context.Blocks.Head!;
            IReadOnlyList<VerifiedTransaction> pending = _context.Pool.GetPending(1000, (long)_context.Chain.BlockGasLimit);
            var state = new WorldState(_context.Store, _context.Suite, parent.StateRoot);
            var proposal = new BlockProposalContext(parent.Height + 1, parent.Timestamp + 1, _context.Self.Address, _context.Chain.BlockGasLimit, _context.Blocks.GetBlockHash);
            BlockExecutionResult result = _context.Executor.Execute(state, parent, proposal, pending, skipInvalid: true);
            Block executed = result.Block;
            var certified = new Block(executed.Header.WithCertificate(CertificateFor(_context.Suite, executed.Header.ComputeHash(_context.Suite))), executed.Transactions);
            Commit(certified, result, state);
            return certified;
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Commit(Block block, BlockExecutionResult result, WorldState state)
    {
        _context.Blocks.Commit(block, result, state);
        var hashes = new Hash256[result.Transactions.Count];
        var senders = new Address[hashes.Length];
        for (int i = 0; i < hashes.Length; i++)
        {
            hashes[i] = result.Transactions[i].Transaction.Hash;
            senders[i] = result.Transactions[i].Transaction.Sender;
        }

        _context.Pool.RemoveIncluded(hashes);
        _context.Pool.OnNewHead(new HeadStateReader(state));
        BlockCommitted?.Invoke(this, new BlockCommittedEventArgs(block, _context.Blocks.HeadHash, hashes, senders, result.Receipts));
    }
}
