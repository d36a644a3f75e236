using Trellis.Core;
using Trellis.Core.Rlp;
using Trellis.Crypto;
using Trellis.Ledger.Blocks;
using Trellis.Ledger.Execution;
using Trellis.Ledger.Pool;
using Trellis.Ledger.Storage;
using Trellis.Ledger.Transactions;
using Trellis.State;
using Trellis.State.Storage;

namespace Trellis.Consensus.HotStuff.Engine;

/// <summary>
/// The ledger as HotStuff sees it: a payload is a ledger block (header without certificate, and its transactions,
/// <see cref="Block.Encode"/>); the leader builds it from the pool on the state after the uncommitted branch, and a
/// validator re-executes it without skipping and votes only when header and state root match (execute-then-vote).
/// Every executed block is kept as a <see cref="SpeculativeBlock"/> keyed by its ledger hash until it is committed
/// or abandoned. Used only on the engine thread.
/// </summary>
internal sealed class SpeculativeLedger : IHotStuffExecutor, IPayloadSource
{
    private readonly HotStuffEngineOptions _options;
    private readonly ICryptoSuite _suite;
    private readonly IKeyValueStore _store;
    private readonly BlockStore _blocks;
    private readonly BlockExecutor _executor;
    private readonly TxPool _pool;
    private readonly TransactionValidator _validator;
    private IReadOnlyList<Address> _validatorAddresses;
    private ValidatorSet _validatorSet;
    private Address _self;
    private readonly TimeProvider _time;
    private readonly Hash256 _emptyTransactionsRoot;
    private readonly Dictionary<Hash256, SpeculativeBlock> _executed = [];
    private long? _headCommittedAt;

    public SpeculativeLedger(
        HotStuffEngineOptions options,
        ICryptoSuite suite,
        IKeyValueStore store,
        BlockStore blocks,
        BlockExecutor executor,
        TxPool pool,
        ulong chainId,
        IReadOnlyList<Address> validatorAddresses,
        ValidatorSet validatorSet,
        Address self,
        TimeProvider time)
    {
        _options = options;
        _suite = suite;
        _store = store;
        _blocks = blocks;
        _executor = executor;
        _pool = pool;
        _validator = new TransactionValidator(suite, chainId, requireReplayProtection: true);
        _validatorAddresses = validatorAddresses;
        _validatorSet = validatorSet;
        _self = self;
        _time = time;
        _emptyTransactionsRoot = BlockRoots.Transactions(suite, []);
        GenesisHash = blocks.GetBlockHash(0) ?? throw new InvalidOperationException("the block store has no genesis block; initialise it before creating the HotStuff engine");
    }

    /// <summary>The ledger genesis hash (the HotStuff genesis block stands for it).</summary>
    public Hash256 GenesisHash { get; }

    /// <summary>The replica's committed block (the parent of an empty branch).</summary>
    public Func<HotStuffBlock>? CommittedBlock { get; set; }

    /// <summary>
    /// Decides whether an executed block ends the epoch (the set of the next height, read from its state, differs from
    /// the epoch's). Null: the set never changes.
    /// </summary>
    public Func<SpeculativeBlock, bool>? EndsEpoch { get; set; }

    /// <summary>Blocks executed and held uncommitted.</summary>
    public int HeldCount => _executed.Count;

    /// <summary>Executions of received blocks (not built by this node), for tests and metrics.</summary>
    public long ValidatedBlocks { get; private set; }

    /// <summary>An epoch suffix block: empty payload, no ledger block, the state root of its parent.</summary>
    public static bool IsSuffix(HotStuffBlock block) => !block.IsGenesis && block.Payload.IsEmpty;

    /// <summary>Switches to a new epoch's validators (leader rotation and proposer checks) and forgets every held block.</summary>
    public void SetEpoch(IReadOnlyList<Address> validatorAddresses, ValidatorSet validatorSet, Address self)
    {
        _validatorAddresses = validatorAddresses;
        _validatorSet = validatorSet;
        _self = self;
        _executed.Clear();
    }

    /// <summary>Reads the ledger header out of a payload without decoding the transactions.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> payload, out BlockHeader? header, out string? error)
    {
        header = null;
        try
        {
            var reader = new RlpReader(payload);
            RlpReader list = reader.ReadList();
            header = BlockHeader.ReadFrom(ref list);
            error = null;
            return true;
        }
        catch (RlpException e)
        {
            error = $"payload is not a ledger block: {e.Message}";
            return false;
        }
    }

    /// <summary>The ledger hash a HotStuff block stands for (genesis stands for the ledger genesis).</summary>
    public bool TryGetLedgerHash(HotStuffBlock block, out Hash256 hash, out string? error)
    {
        if (block.IsGenesis)
        {
            hash = GenesisHash;
            error = null;
            return true;
        }

        if (!TryReadHeader(block.Payload.Span, out var header, out error))
        {
            hash = default;
            return false;
        }

        hash = header!.ComputeHash(_suite);
        return true;
    }

    /// <summary>The executed, uncommitted block with this ledger hash, if held.</summary>
    public SpeculativeBlock? Find(Hash256 ledgerHash) => _executed.GetValueOrDefault(ledgerHash);

    /// <inheritdoc/>
    public bool TryExecute(HotStuffBlock parent, IReadOnlyList<HotStuffBlock> uncommittedBranch, long view, ReadOnlyMemory<byte> payload, out Hash256 stateRoot, out string? error)
    {
        stateRoot = default;
        if (!TryExecuteBranch(uncommittedBranch, out error))
        {
            return false;
        }

        if (!TryLedgerTip(uncommittedBranch, out var tip, out bool inSuffix, out error))
        {
            return false;
        }

        if (payload.IsEmpty)
        {
            // A suffix block: allowed only after the epoch's last ledger block, so that block can commit under its set.
            if (!inSuffix)
            {
                error = $"empty payload on {parent}, which does not follow the last block of an epoch";
                return false;
            }

            stateRoot = tip.StateRoot;
            return true;
        }

        if (inSuffix)
        {
            error = $"ledger block proposed on {parent}, after the last block of the epoch; only empty suffix blocks may follow it";
            return false;
        }

        if (!TryGetLedgerHash(tip, out var parentHash, out error))
        {
            return false;
        }

        var record = GetOrExecute(payload, view, parent.Height + 1, parentHash, checkClock: true, out error);
        if (record is null)
        {
            return false;
        }

        stateRoot = record.Header.StateRoot;
        return true;
    }

    /// <summary>
    /// The last ledger block of the branch (suffix blocks skipped), or the committed block when the branch has none,
    /// and whether a block extending the branch is in the epoch's suffix (the tip ends the epoch).
    /// </summary>
    public bool TryLedgerTip(IReadOnlyList<HotStuffBlock> branch, out HotStuffBlock tip, out bool inSuffix, out string? error)
    {
        inSuffix = false;
        for (int i = branch.Count - 1; i >= 0; i--)
        {
            if (IsSuffix(branch[i]))
            {
                inSuffix = true;
                continue;
            }

            tip = branch[i];
            if (!inSuffix && TryGetLedgerHash(tip, out var hash, out _) && _executed.TryGetValue(hash, out var record))
            {
                inSuffix = record.EndsEpoch;
            }

            error = null;
            return true;
        }

        tip = CommittedBlock?.Invoke()!;
        if (tip is null)
        {
            error = "no committed block to build on";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>Makes sure every block of the branch is executed (in order), checking each against its HotStuff block.</summary>
    public bool TryExecuteBranch(IReadOnlyList<HotStuffBlock> branch, out string? error)
    {
        error = null;
        Hash256? previous = null;
        bool inSuffix = false;
        for (int i = 0; i < branch.Count; i++)
        {
            var block = branch[i];
            if (IsSuffix(block))
            {
                if (!inSuffix)
                {
                    error = $"uncommitted ancestor {block} is an empty suffix block that does not follow the last block of an epoch";
                    return false;
                }

                continue;
            }

            if (inSuffix)
            {
                error = $"uncommitted ancestor {block} is a ledger block after the last block of the epoch";
                return false;
            }

            if (!TryReadHeader(block.Payload.Span, out var header, out error))
            {
                error = $"uncommitted ancestor {block}: {error}";
                return false;
            }

            var record = GetOrExecute(block.Payload, block.View, block.Height, previous ?? header!.ParentHash, checkClock: false, out error);
            if (record is null)
            {
                error = $"uncommitted ancestor {block}: {error}";
                return false;
            }

            if (record.Header.StateRoot != block.StateRoot)
            {
                error = $"uncommitted ancestor {block} claims state root {block.StateRoot} but its ledger block has {record.Header.StateRoot}";
                return false;
            }

            previous = record.Hash;
            inSuffix = record.EndsEpoch;
        }

        return true;
    }

    /// <summary>The executed block for a payload, executing it if needed (nothing skipped); null with the reason when invalid.</summary>
    public SpeculativeBlock? GetOrExecute(ReadOnlyMemory<byte> payload, long view, long height, Hash256 expectedParent, bool checkClock, out string? error)
    {
        if (!TryReadHeader(payload.Span, out var header, out error))
        {
            return null;
        }

        error = CheckHeader(header!, view, height, expectedParent, checkClock);
        if (error is not null)
        {
            return null;
        }

        var hash = header!.ComputeHash(_suite);
        if (_executed.TryGetValue(hash, out var known))
        {
            return known;
        }

        if (!TryResolveParent(header.ParentHash, out var parentRecord, out var parentHeader, out error))
        {
            return null;
        }

        Block block;
        try
        {
            block = Block.Decode(payload.Span);
        }
        catch (RlpException e)
        {
            error = $"payload is not a ledger block: {e.Message}";
            return null;
        }

        if (block.Transactions.Count > _options.MaxTransactionsPerBlock)
        {
            error = $"block {header.Height} has {block.Transactions.Count} transactions; at most {_options.MaxTransactionsPerBlock} are allowed";
            return null;
        }

        return Validate(block, hash, parentRecord, parentHeader!, out error);
    }

    /// <summary>Executes a received block (from a proposal or block sync) on its parent and checks it against its header.</summary>
    public SpeculativeBlock? Validate(Block block, Hash256 hash, SpeculativeBlock? parentRecord, BlockHeader parentHeader, out string? error)
    {
        var verified = RecoverSenders(block, out error);
        if (verified is null)
        {
            return null;
        }

        var header = block.Header;
        var state = new WorldState(new OverlayStore(parentRecord, _store), _suite, parentHeader.StateRoot);
        var context = new BlockProposalContext(header.Height, header.Timestamp, header.Proposer, header.GasLimit, height => HashAt(parentRecord, height));
        var result = _executor.Execute(state, parentHeader, context, verified, skipInvalid: false);
        if (!result.IsValid)
        {
            error = $"block {header.Height} is invalid: {result.InvalidReason}";
            return null;
        }

        error = Compare(header, result.Header);
        if (error is not null)
        {
            return null;
        }

        var writes = new StateWrites();
        state.Commit(writes);
        ValidatedBlocks++;
        var record = new SpeculativeBlock(hash, result, writes, parentRecord, _time.GetTimestamp());
        record.EndsEpoch = EndsEpoch?.Invoke(record) ?? false;
        _executed[hash] = record;
        return record;
    }

    /// <summary>Finds the state a block with ledger parent <paramref name="parentHash"/> executes on.</summary>
    public bool TryResolveParent(Hash256 parentHash, out SpeculativeBlock? record, out BlockHeader? header, out string? error)
    {
        if (_executed.TryGetValue(parentHash, out record))
        {
            header = record.Header;
            error = null;
            return true;
        }

        record = null;
        if (parentHash == _blocks.HeadHash)
        {
            header = _blocks.Head!;
            error = null;
            return true;
        }

        header = null;
        error = $"parent ledger block {parentHash} is neither the head {_blocks.HeadHash} nor an executed uncommitted block";
        return false;
    }

    /// <inheritdoc/>
    public byte[]? CreatePayload(IReadOnlyList<HotStuffBlock> uncommittedBranch)
    {
        if (!TryExecuteBranch(uncommittedBranch, out _) || !TryLedgerTip(uncommittedBranch, out var tip, out bool inSuffix, out _))
        {
            return null;
        }

        if (inSuffix)
        {
            // The branch ends the epoch: empty suffix blocks until its last block commits under this set.
            return [];
        }

        if (!TryGetLedgerHash(tip, out var tipHash, out _) || !TryResolveParent(tipHash, out var tipRecord, out var tipHeader, out _))
        {
            return null;
        }

        long? tipAt = tipRecord?.ExecutedAt ?? _headCommittedAt;
        if (tipAt is long at && _time.GetElapsedTime(at) < _options.BlockInterval)
        {
            return null;
        }

        bool branchHasWork = false;
        int branchTransactions = 0;
        var inBranch = new List<HashSet<Hash256>>();
        for (var record = tipRecord; record is not null; record = record.Parent)
        {
            branchTransactions += record.TransactionHashes.Count;
            branchHasWork |= record.TransactionHashes.Count > 0;
            inBranch.Add(record.TransactionHashes);
        }

        var chosen = ChooseTransactions(inBranch, branchTransactions);
        if (chosen.Count == 0 && !branchHasWork)
        {
            return null;
        }

        ulong now = (ulong)Math.Max(0, _time.GetUtcNow().ToUnixTimeSeconds());
        var context = new BlockProposalContext(tipHeader!.Height + 1, Math.Max(tipHeader.Timestamp, now), _self, _options.BlockGasLimit, height => HashAt(tipRecord, height));
        var state = new WorldState(new OverlayStore(tipRecord, _store), _suite, tipHeader.StateRoot);
        var result = _executor.Execute(state, tipHeader, context, chosen, skipInvalid: true);
        if (!result.IsValid)
        {
            return null;
        }

        // Invalid on this branch's state when their turn came: dropped as every engine does.
        PoolUpkeep.DropSkipped(_pool, result);

        if (result.Transactions.Count == 0 && !branchHasWork)
        {
            return null;
        }

        var writes = new StateWrites();
        state.Commit(writes);
        var hash = result.Header.ComputeHash(_suite);
        var created = new SpeculativeBlock(hash, result, writes, tipRecord, _time.GetTimestamp());
        created.EndsEpoch = EndsEpoch?.Invoke(created) ?? false;
        _executed[hash] = created;
        return result.Block.Encode();
    }

    /// <inheritdoc/>
    public bool HasWork(IReadOnlyList<HotStuffBlock> uncommittedBranch)
    {
        for (int i = 0; i < uncommittedBranch.Count; i++)
        {
            if (IsSuffix(uncommittedBranch[i]))
            {
                // The epoch's last block still has to commit.
                return true;
            }

            if (TryReadHeader(uncommittedBranch[i].Payload.Span, out var header, out _))
            {
                if (header!.TransactionsRoot != _emptyTransactionsRoot || _executed.GetValueOrDefault(header.ComputeHash(_suite))?.EndsEpoch == true)
                {
                    return true;
                }
            }
        }

        // The branch carries no transaction, so whatever the pool can execute is new work.
        return _pool.Count > 0 && _pool.GetPending(1, long.MaxValue).Count > 0;
    }

    /// <summary>The block with <paramref name="hash"/> is committed: forget it and every held block at or below its height.</summary>
    public void OnCommitted(SpeculativeBlock? committed, ulong height)
    {
        _headCommittedAt = _time.GetTimestamp();
        List<Hash256>? stale = null;
        foreach (var (hash, record) in _executed)
        {
            if (record.Header.Height <= height)
            {
                (stale ??= []).Add(hash);
            }
            else if (record.Parent is not null && (record.Parent == committed || record.Parent.Header.Height <= height))
            {
                // Its parent's state is in the store now.
                record.Parent = null;
            }
        }

        if (stale is not null)
        {
            foreach (var hash in stale)
            {
                _executed.Remove(hash);
            }
        }
    }

    /// <summary>Forgets every held block (after block sync moved the head under them).</summary>
    public void Clear() => _executed.Clear();

    private List<VerifiedTransaction> ChooseTransactions(List<HashSet<Hash256>> inBranch, int branchTransactions)
    {
        int max = _options.MaxTransactionsPerBlock;
        var pending = _pool.GetPending(max + branchTransactions, long.MaxValue);
        var chosen = new List<VerifiedTransaction>(Math.Min(max, pending.Count));
        HashSet<Address>? stopped = null;
        ulong gasLeft = _options.BlockGasLimit;
        for (int i = 0; i < pending.Count && chosen.Count < max; i++)
        {
            var transaction = pending[i];
            if (InBranch(inBranch, transaction.Hash))
            {
                continue;
            }

            if (stopped is not null && stopped.Contains(transaction.Sender))
            {
                continue;
            }

            if (transaction.Transaction.GasLimit > gasLeft)
            {
                // Leaving one out would leave a nonce gap behind it: the sender waits for the next block.
                (stopped ??= []).Add(transaction.Sender);
                continue;
            }

            gasLeft -= transaction.Transaction.GasLimit;
            chosen.Add(transaction);
        }

        return chosen;
    }

    private static bool InBranch(List<HashSet<Hash256>> inBranch, Hash256 hash)
    {
        for (int i = 0; i < inBranch.Count; i++)
        {
            if (inBranch[i].Contains(hash))
            {
                return true;
            }
        }

        return false;
    }

    private string? CheckHeader(BlockHeader header, long view, long height, Hash256 expectedParent, bool checkClock)
    {
        if (header.ParentHash != expectedParent)
        {
            return $"ledger block {header.Height} names parent {header.ParentHash}, but the HotStuff parent stands for {expectedParent}";
        }

        if (height < 1 || header.Height != (ulong)height)
        {
            return $"ledger block height {header.Height} is not the HotStuff height {height}";
        }

        var leader = _validatorAddresses[_validatorSet.LeaderOf(view)];
        if (header.Proposer != leader)
        {
            return $"ledger block {header.Height} names proposer {header.Proposer}, but view {view} is led by {leader}";
        }

        if (header.GasLimit != _options.BlockGasLimit)
        {
            return $"ledger block {header.Height} has gas limit {header.GasLimit}, the chain's is {_options.BlockGasLimit}";
        }

        if (!header.ConsensusCertificate.IsEmpty)
        {
            return $"ledger block {header.Height} in a proposal carries a certificate; it must be empty";
        }

        if (checkClock)
        {
            ulong now = (ulong)Math.Max(0, _time.GetUtcNow().ToUnixTimeSeconds());
            ulong limit = now + (ulong)_options.MaxClockAhead.TotalSeconds;
            if (header.Timestamp > limit)
            {
                return $"ledger block {header.Height} has timestamp {header.Timestamp}, more than {_options.MaxClockAhead.TotalSeconds} s ahead of this node's clock ({now})";
            }
        }

        return null;
    }

    private VerifiedTransaction[]? RecoverSenders(Block block, out string? error)
    {
        // A transaction gossiped earlier is in the pool with its sender already recovered; the rest are recovered in
        // parallel. One pool lookup for the whole block, so admission threads are not blocked per transaction.
        var verified = _executor.RecoverSenders(block.Transactions, _pool, out int invalidIndex, out string? reason);
        error = verified is null ? $"block {block.Header.Height}: transaction {invalidIndex} is invalid: {reason}" : null;
        return verified;
    }

    private Hash256? HashAt(SpeculativeBlock? tip, ulong height)
    {
        for (var record = tip; record is not null; record = record.Parent)
        {
            if (record.Header.Height == height)
            {
                return record.Hash;
            }
        }

        return _blocks.GetBlockHash(height);
    }

    private string? Compare(BlockHeader claimed, BlockHeader computed)
    {
        if (claimed.ComputeHash(_suite) == computed.ComputeHash(_suite))
        {
            return null;
        }

        if (claimed.StateRoot != computed.StateRoot)
        {
            return $"block {claimed.Height}: state root {claimed.StateRoot} in the header != {computed.StateRoot} after execution";
        }

        if (claimed.TransactionsRoot != computed.TransactionsRoot)
        {
            return $"block {claimed.Height}: transactions root {claimed.TransactionsRoot} != {computed.TransactionsRoot} computed";
        }

        if (claimed.ReceiptsRoot != computed.ReceiptsRoot)
        {
            return $"block {claimed.Height}: receipts root {claimed.ReceiptsRoot} != {computed.ReceiptsRoot} from execution";
        }

        if (claimed.GasUsed != computed.GasUsed)
        {
            return $"block {claimed.Height}: gas used {claimed.GasUsed} != {computed.GasUsed} by execution";
        }

        return $"block {claimed.Height}: header does not match execution (logs bloom or another field)";
    }
}
