using Trellis.Core;
using Trellis.Crypto;
using Trellis.Evm;
using Trellis.Evm.Processing;
using Trellis.Ledger.Blocks;
using Trellis.Ledger.Genesis;
using Trellis.Ledger.Governance;
using Trellis.Ledger.Transactions;
using Trellis.State;

namespace Trellis.Ledger.Execution;

/// <summary>
/// Executes a block's transactions through the EVM and builds its header: receipts with cumulative gas and logs,
/// the gas used, and the transactions, receipts and state roots. Deterministic: the result depends only on the
/// parent, the proposal context, the transactions and the prior state (no clock, no randomness).
/// </summary>
/// <remarks>
/// Trellis charges no base fee (BASEFEE is 0), so a gas price of zero is valid and any fee goes to the proposer.
/// PREVRANDAO is zero: a consortium chain has no beacon randomness to offer, and a value a proposer could choose
/// would only look random. Execution changes <paramref name="state"/> in <see cref="Execute(IWorldState, BlockHeader, BlockProposalContext, IReadOnlyList{VerifiedTransaction}, bool)"/>
/// without committing it; when the result is invalid, discard that state (reopen it at the parent's state root).
/// </remarks>
public sealed class BlockExecutor
{
    // EIP-4844's minimum blob base fee; blob transactions are not accepted, so this only answers BLOBBASEFEE.
    private static readonly UInt256 MinBlobBaseFee = UInt256.One;

    private readonly ICryptoSuite _suite;
    private readonly ChainConfig _config;
    private readonly TransactionProcessor _processor;
    private readonly TransactionValidator _validator;

    /// <summary>Creates an executor for one chain.</summary>
    /// <exception cref="ArgumentException">The suite is not the chain's.</exception>
    public BlockExecutor(ICryptoSuite suite, ChainConfig config)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(config);
        if (!string.Equals(suite.Name, config.Suite.Name, StringComparison.Ordinal))
        {
            throw new ArgumentException($"crypto suite {suite.Name} is not the chain's suite {config.Suite.Name}", nameof(suite));
        }

        _suite = suite;
        _config = config;
        _processor = new TransactionProcessor(suite, GovernanceContracts.Instance);
        _validator = new TransactionValidator(suite, config.ChainId, requireReplayProtection: true);
    }

    /// <summary>The chain's crypto suite.</summary>
    public ICryptoSuite Suite => _suite;

    /// <summary>
    /// Executes <paramref name="transactions"/> in order on top of <paramref name="parent"/> and builds the block.
    /// With <paramref name="skipInvalid"/> (building a proposal) a transaction that is invalid when its turn comes
    /// (stale nonce, unaffordable, more gas than the block has left, another chain's id) is left out and listed in
    /// <see cref="BlockExecutionResult.Skipped"/>; without it (checking a received block) it makes the block invalid.
    /// </summary>
    public BlockExecutionResult Execute(IWorldState state, BlockHeader parent, BlockProposalContext context, IReadOnlyList<VerifiedTransaction> transactions, bool skipInvalid)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(transactions);

        string? contextError = CheckContext(parent, context);
        if (contextError is not null)
        {
            return BlockExecutionResult.Invalid(contextError);
        }

        Hash256 parentHash = parent.ComputeHash(_suite);
        BlockContext block = CreateBlockContext(parent, parentHash, context);
        var included = new List<ExecutedTransaction>(transactions.Count);
        var skipped = new List<SkippedTransaction>();
        var bloom = new LogsBloom();
        ulong gasUsed = 0;
        for (int i = 0; i < transactions.Count; i++)
        {
            VerifiedTransaction verified = transactions[i];
            ArgumentNullException.ThrowIfNull(verified, nameof(transactions));
            string? rejection = CheckAgainstBlock(verified, context.GasLimit, gasUsed);
            TransactionResult? result = null;
            // Permissions are read from the state as it is now, so a grant earlier in the block already counts.
            rejection ??= GovernanceState.CheckSender(state, verified.Sender, verified.Transaction.IsContractCreation);
            if (rejection is null)
            {
                result = _processor.Execute(state, block, verified.Transaction.ToEvmTransaction(verified.Sender));
                if (result.IsRejected)
                {
                    rejection = result.ErrorMessage ?? result.Error.ToString();
                }
            }

            if (rejection is not null)
            {
                if (skipInvalid)
                {
                    skipped.Add(new SkippedTransaction(verified, rejection));
                    continue;
                }

                return BlockExecutionResult.Invalid($"transaction {i} ({verified.Hash}) is invalid: {rejection}", i, included);
            }

            gasUsed += (ulong)result!.GasUsed;
            Receipt receipt = new(verified.Transaction.Type, result.Success, gasUsed, ConvertLogs(result.Logs));
            bloom.Accumulate(receipt.Bloom);
            included.Add(new ExecutedTransaction(verified, receipt, (ulong)result.GasUsed, result.ContractAddress, result.Output, result.ExecutionError));
        }

        var blockTransactions = new Transaction[included.Count];
        var receipts = new Receipt[included.Count];
        for (int i = 0; i < included.Count; i++)
        {
            blockTransactions[i] = included[i].Transaction.Transaction;
            receipts[i] = included[i].Receipt;
        }

        var header = new BlockHeader
        {
            ParentHash = parentHash,
            Height = context.Height,
            Timestamp = context.Timestamp,
            Proposer = context.Proposer,
            TransactionsRoot = BlockRoots.Transactions(_suite, blockTransactions),
            ReceiptsRoot = BlockRoots.Receipts(_suite, receipts),
            StateRoot = state.ComputeStateRoot(),
            LogsBloom = bloom,
            GasUsed = gasUsed,
            GasLimit = context.GasLimit,
        };
        return BlockExecutionResult.Valid(new Block(header, blockTransactions), included, skipped);
    }

    /// <summary>
    /// Checks a received block: every transaction must be valid for this chain (signature, chain id) and execute
    /// in order, and the header must match the parent and what execution produced (transactions, receipts and
    /// state roots, gas used, logs bloom). The result keeps the block's own header (with its certificate).
    /// </summary>
    public BlockExecutionResult Execute(IWorldState state, BlockHeader parent, Block block, Func<ulong, Hash256?>? blockHashes = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(block);
        BlockHeader claimed = block.Header;
        var verified = new VerifiedTransaction[block.Transactions.Count];
        for (int i = 0; i < verified.Length; i++)
        {
            TxValidation validation = _validator.Validate(block.Transactions[i], out VerifiedTransaction? transaction);
            if (!validation.IsValid)
            {
                return BlockExecutionResult.Invalid($"transaction {i} is invalid: {validation.Message}", i);
            }

            verified[i] = transaction!;
        }

        var context = new BlockProposalContext(claimed.Height, claimed.Timestamp, claimed.Proposer, claimed.GasLimit, blockHashes);
        BlockExecutionResult result = Execute(state, parent, context, verified, skipInvalid: false);
        if (!result.IsValid)
        {
            return result;
        }

        string? mismatch = CompareHeaders(claimed, result.Header);
        return mismatch is null
            ? BlockExecutionResult.Valid(block, result.Transactions, [])
            : BlockExecutionResult.Invalid(mismatch, null, result.Transactions);
    }

    private static string? CheckContext(BlockHeader parent, BlockProposalContext context)
    {
        if (parent.Height == ulong.MaxValue || context.Height != parent.Height + 1)
        {
            return $"block height {context.Height} does not follow parent height {parent.Height}";
        }

        if (context.Timestamp < parent.Timestamp)
        {
            return $"block timestamp {context.Timestamp} is before the parent's {parent.Timestamp}";
        }

        if (context.GasLimit == 0 || context.GasLimit > long.MaxValue)
        {
            return $"block gas limit {context.GasLimit} is not between 1 and 2^63 - 1";
        }

        return null;
    }

    private string? CheckAgainstBlock(VerifiedTransaction verified, ulong blockGasLimit, ulong gasUsed)
    {
        Transaction transaction = verified.Transaction;
        if (transaction.ChainId is ulong chainId && chainId != _config.ChainId)
        {
            return $"chain id {chainId} is not this chain's {_config.ChainId}";
        }

        ulong gasLeft = blockGasLimit - gasUsed;
        if (transaction.GasLimit > gasLeft)
        {
            return $"gas limit {transaction.GasLimit} exceeds the {gasLeft} gas left in the block (limit {blockGasLimit}, used {gasUsed})";
        }

        return null;
    }

    private BlockContext CreateBlockContext(BlockHeader parent, Hash256 parentHash, BlockProposalContext context)
    {
        ulong parentHeight = parent.Height;
        Func<ulong, Hash256?>? ancestors = context.BlockHashes;
        return new BlockContext(
            context.Proposer,
            context.Height,
            context.Timestamp,
            (long)context.GasLimit,
            UInt256.Zero,
            UInt256.Zero,
            MinBlobBaseFee,
            _config.ChainId,
            height => height == parentHeight ? parentHash : ancestors?.Invoke(height) ?? Hash256.Zero);
    }

    private static Log[] ConvertLogs(IReadOnlyList<LogEntry> entries)
    {
        if (entries.Count == 0)
        {
            return [];
        }

        var logs = new Log[entries.Count];
        for (int i = 0; i < logs.Length; i++)
        {
            LogEntry entry = entries[i];
            logs[i] = new Log(entry.Address, entry.Topics, entry.Data);
        }

        return logs;
    }

    private static string? CompareHeaders(BlockHeader claimed, BlockHeader computed)
    {
        if (claimed.ParentHash != computed.ParentHash)
        {
            return $"parent hash {claimed.ParentHash} is not the parent's hash {computed.ParentHash}";
        }

        if (claimed.TransactionsRoot != computed.TransactionsRoot)
        {
            return $"transactions root {claimed.TransactionsRoot} in the header != {computed.TransactionsRoot} computed from the transactions";
        }

        if (claimed.GasUsed != computed.GasUsed)
        {
            return $"gas used {claimed.GasUsed} in the header != {computed.GasUsed} by execution";
        }

        if (claimed.ReceiptsRoot != computed.ReceiptsRoot)
        {
            return $"receipts root {claimed.ReceiptsRoot} in the header != {computed.ReceiptsRoot} from execution";
        }

        if (!claimed.LogsBloom.Equals(computed.LogsBloom))
        {
            return "logs bloom in the header does not match the receipts' logs";
        }

        if (claimed.StateRoot != computed.StateRoot)
        {
            return $"state root {claimed.StateRoot} in the header != {computed.StateRoot} after execution";
        }

        return null;
    }
}
