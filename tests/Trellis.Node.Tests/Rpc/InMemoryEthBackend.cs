using System.Threading.Channels;
using Trellis.Core;
using Trellis.Node.Rpc;

namespace Trellis.Node.Tests.Rpc;

/// <summary>A test fixture backend: blocks, receipts and accounts held in memory, events pushed by the test.</summary>
internal sealed class InMemoryEthBackend : IEthBackend
{
    // Guards every collection below; the RPC reads from many threads.
    private readonly Lock _lock = new();
    private readonly List<RpcBlock> _blocks = [];
    private readonly Dictionary<Hash256, List<RpcReceipt>> _receipts = [];
    private readonly Dictionary<Hash256, RpcTransaction> _pool = [];
    private readonly Channel<NewBlockEvent> _newBlocks = Channel.CreateUnbounded<NewBlockEvent>();
    private readonly Channel<Hash256> _pending = Channel.CreateUnbounded<Hash256>();

    public ulong ChainId { get; init; } = 1;

    public ulong HeadNumber
    {
        get
        {
            lock (_lock)
            {
                return (ulong)_blocks.Count - 1;
            }
        }
    }

    public ulong SafeNumber => HeadNumber;

    public ulong FinalizedNumber => HeadNumber;

    public int PeerCount { get; set; } = 3;

    public Dictionary<Address, (UInt256 Balance, ulong Nonce, byte[] Code, Dictionary<UInt256, UInt256> Storage)> Accounts { get; } = [];

    public Dictionary<Address, ulong> PendingNonces { get; } = [];

    public Func<CallRequest, ulong, CallResult> Call { get; set; } = (_, _) => CallResult.Success([], 21000);

    public Func<byte[], SendTransactionResult> Send { get; set; } = raw => SendTransactionResult.Accepted(Keccak256.Hash(raw));

    public SyncStatus? Sync { get; set; }

    public Dictionary<ulong, FeeHistoryBlock> Fees { get; } = [];

    public List<LogQuery> LogQueries { get; } = [];

    public ChannelReader<NewBlockEvent> NewBlocks => _newBlocks.Reader;

    public ChannelReader<Hash256> NewPendingTransactions => _pending.Reader;

    /// <summary>Appends a block with its receipts and announces it.</summary>
    public void AddBlock(RpcBlock block, IReadOnlyList<RpcReceipt> receipts, bool announce = true)
    {
        lock (_lock)
        {
            _blocks.Add(block);
            _receipts[block.Hash] = [.. receipts];
        }

        if (announce)
        {
            var logs = new List<RpcLog>();
            foreach (RpcReceipt receipt in receipts)
            {
                logs.AddRange(receipt.Logs);
            }

            Assert.True(_newBlocks.Writer.TryWrite(new NewBlockEvent(block, logs)));
        }
    }

    public void AddPending(RpcTransaction transaction)
    {
        lock (_lock)
        {
            _pool[transaction.Hash] = transaction;
        }

        Assert.True(_pending.Writer.TryWrite(transaction.Hash));
    }

    public RpcBlock? GetBlock(ulong number)
    {
        lock (_lock)
        {
            return number < (ulong)_blocks.Count ? _blocks[(int)number] : null;
        }
    }

    public RpcBlock? GetBlock(Hash256 hash)
    {
        lock (_lock)
        {
            return _blocks.Find(b => b.Hash == hash);
        }
    }

    public ulong? GetBlockNumber(Hash256 hash) => GetBlock(hash)?.Number;

    public RpcTransaction? GetTransaction(Hash256 hash)
    {
        lock (_lock)
        {
            foreach (RpcBlock block in _blocks)
            {
                foreach (RpcTransaction transaction in block.Transactions)
                {
                    if (transaction.Hash == hash)
                    {
                        return transaction;
                    }
                }
            }

            return _pool.GetValueOrDefault(hash);
        }
    }

    public RpcReceipt? GetReceipt(Hash256 transactionHash)
    {
        lock (_lock)
        {
            foreach (List<RpcReceipt> receipts in _receipts.Values)
            {
                RpcReceipt? receipt = receipts.Find(r => r.TransactionHash == transactionHash);
                if (receipt is not null)
                {
                    return receipt;
                }
            }

            return null;
        }
    }

    public IReadOnlyList<RpcReceipt>? GetBlockReceipts(ulong number)
    {
        RpcBlock? block = GetBlock(number);
        lock (_lock)
        {
            return block is null ? null : _receipts[block.Hash];
        }
    }

    public IReadOnlyList<RpcLog> GetLogs(LogQuery query)
    {
        var result = new List<RpcLog>();
        lock (_lock)
        {
            LogQueries.Add(query);
            for (ulong n = query.FromBlock; n <= query.ToBlock && n < (ulong)_blocks.Count; n++)
            {
                foreach (RpcReceipt receipt in _receipts[_blocks[(int)n].Hash])
                {
                    result.AddRange(receipt.Logs.Where(query.Criteria.Matches));
                }
            }
        }

        return result;
    }

    public IEthStateView? GetState(ulong number) => number <= HeadNumber ? new StateView(Accounts) : null;

    public ulong GetPendingNonce(Address address) => PendingNonces.GetValueOrDefault(address);

    public ValueTask<SendTransactionResult> SendRawTransactionAsync(ReadOnlyMemory<byte> transaction, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Send(transaction.ToArray()));

    public ValueTask<CallResult> CallAsync(CallRequest call, ulong blockNumber, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Call(call, blockNumber));

    public ValueTask<CallResult> EstimateGasAsync(CallRequest call, ulong blockNumber, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Call(call, blockNumber));

    public UInt256 GetGasPrice() => new(1_000_000_000);

    public UInt256 GetMaxPriorityFeePerGas() => new(100_000_000);

    public FeeHistoryBlock? GetFeeHistoryBlock(ulong number) => Fees.GetValueOrDefault(number);

    public SyncStatus? GetSyncStatus() => Sync;

    private sealed class StateView(Dictionary<Address, (UInt256 Balance, ulong Nonce, byte[] Code, Dictionary<UInt256, UInt256> Storage)> accounts) : IEthStateView
    {
        public UInt256 GetBalance(Address address) => accounts.TryGetValue(address, out var a) ? a.Balance : UInt256.Zero;

        public ulong GetNonce(Address address) => accounts.TryGetValue(address, out var a) ? a.Nonce : 0;

        public byte[] GetCode(Address address) => accounts.TryGetValue(address, out var a) ? a.Code : [];

        public UInt256 GetStorage(Address address, UInt256 slot) =>
            accounts.TryGetValue(address, out var a) && a.Storage.TryGetValue(slot, out UInt256 v) ? v : UInt256.Zero;
    }
}
