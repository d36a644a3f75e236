using System.Buffers.Binary;
using Trellis.Core;
using Trellis.Core.Rlp;
using Trellis.Crypto;
using Trellis.Evm;
using Trellis.Ledger.Blocks;
using Trellis.Ledger.Execution;
using Trellis.Ledger.Genesis;
using Trellis.Ledger.Transactions;
using Trellis.State;
using Trellis.State.Storage;

namespace Trellis.Ledger.Storage;

/// <summary>
/// The committed chain in the node's key-value store (the same store that holds the state trie): headers, bodies,
/// receipts, the transaction index, the log index by address and by topic, and the head pointer. Each block is
/// written with its state changes in ONE batch, so after a crash the store is at its last committed block with
/// nothing half-written. Reads are thread-safe; commits are serialised. Layout: docs/storage.md.
/// </summary>
public sealed class BlockStore
{
    /// <summary>The default most logs <see cref="GetLogs"/> returns before refusing the query.</summary>
    public const int DefaultMaxLogs = 10_000;

    private readonly IKeyValueStore _store;
    private readonly ICryptoSuite _suite;

    // Serialises Commit and Initialize: each checks the head, then moves it.
    private readonly Lock _writeLock = new();

    // Immutable; replaced after each commit, so readers see a whole head or the previous one.
    private volatile HeadRecord? _head;
    private volatile ChainRecord? _chain;

    /// <summary>Opens the block store in <paramref name="store"/>; the head is the last committed block, if any.</summary>
    /// <exception cref="LedgerStoreException">The stored head pointer does not decode.</exception>
    public BlockStore(IKeyValueStore store, ICryptoSuite suite)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(suite);
        _store = store;
        _suite = suite;
        _head = ReadHead();
        _chain = ReadChain();
    }

    /// <summary>The underlying key-value store (also holding the state trie).</summary>
    public IKeyValueStore KeyValueStore => _store;

    /// <summary>The chain's crypto suite.</summary>
    public ICryptoSuite Suite => _suite;

    /// <summary>The header of the last committed block; null while the store is empty.</summary>
    public BlockHeader? Head => _head?.Header;

    /// <summary>The hash of the last committed block; zero while the store is empty.</summary>
    public Hash256 HeadHash => _head?.Hash ?? Hash256.Zero;

    /// <summary>True until the genesis block is written by <see cref="Initialize"/>.</summary>
    public bool IsEmpty => _head is null;

    /// <summary>The chain id recorded at initialisation; null while the store is empty.</summary>
    public ulong? ChainId => _chain?.ChainId;

    /// <summary>
    /// Writes the genesis block and state if the store is empty; otherwise checks that the stored genesis is the
    /// configuration's. Returns the genesis block.
    /// </summary>
    /// <exception cref="LedgerStoreException">The store belongs to another chain (its genesis hash differs).</exception>
    /// <exception cref="ArgumentException">The configuration uses another crypto suite than this store.</exception>
    public Block Initialize(ChainConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!string.Equals(config.Suite.Name, _suite.Name, StringComparison.Ordinal))
        {
            throw new ArgumentException($"the configuration's crypto suite {config.Suite.Name} is not this store's {_suite.Name}", nameof(config));
        }

        lock (_writeLock)
        {
            if (_head is not null)
            {
                using var scratch = new MemoryStore();
                Hash256 expected = GenesisBlock.Create(config, scratch).Header.ComputeHash(_suite);
                Hash256 storedGenesis = GetBlockHash(0) ?? throw new LedgerStoreException("the store has a head but no block at height 0");
                // The genesis header does not commit to the chain id, so the recorded id is compared as well.
                if (storedGenesis != expected || (_chain is { } recorded && recorded.ChainId != config.ChainId))
                {
                    string owner = _chain is { } stored ? $"chain {stored.ChainId}" : "another chain";
                    throw new LedgerStoreException(
                        $"the data directory belongs to {owner} (genesis {storedGenesis}), not to this configuration's chain {config.ChainId} (genesis {expected})");
                }

                return GetBlock(0) ?? throw new LedgerStoreException($"the genesis block {storedGenesis} has no stored header or body");
            }

            // The genesis state goes in its own batch first: were the process killed between the two batches, the
            // store has no head and the next start writes the same (content-addressed) state again.
            Block genesis = GenesisBlock.Create(config, _store);
            Hash256 hash = genesis.Header.ComputeHash(_suite);
            using IWriteBatch batch = _store.StartBatch();
            WriteBlock(batch, genesis, hash, [], [], null);
            var chain = new ChainRecord(config.ChainId, hash);
            batch.Put(BlockStoreKeys.Chain, chain.Encode());
            var head = new HeadRecord(0, hash, genesis.Header);
            batch.Put(BlockStoreKeys.Head, head.Encode());
            batch.Commit();
            _chain = chain;
            _head = head;
            return genesis;
        }
    }

    /// <summary>
    /// Commits a block executed by <see cref="BlockExecutor"/>: <paramref name="block"/> is the executed block,
    /// normally with its consensus certificate attached (<see cref="BlockHeader.WithCertificate"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The block is not the executed one.</exception>
    /// <exception cref="LedgerStoreException">The block does not extend the head, or its state root is not the state's.</exception>
    public void Commit(Block block, BlockExecutionResult execution, IWorldState state)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(execution);
        ArgumentNullException.ThrowIfNull(state);
        if (block.Header.ComputeHash(_suite) != execution.Header.ComputeHash(_suite))
        {
            throw new ArgumentException("the block's header is not the executed block's header (certificate aside)", nameof(block));
        }

        // The executed transactions carry their senders and hashes: neither is recomputed.
        var senders = new Address[execution.Transactions.Count];
        var hashes = new Hash256[senders.Length];
        for (int i = 0; i < senders.Length; i++)
        {
            senders[i] = execution.Transactions[i].Transaction.Sender;
            hashes[i] = execution.Transactions[i].Transaction.Hash;
        }

        Commit(block, execution.Receipts, state.Commit, senders, hashes);
    }

    /// <summary>
    /// Commits a block executed earlier whose state changes were captured instead of kept in a live state object
    /// (a consensus engine executes blocks speculatively before they commit): <paramref name="stateWrites"/> are the
    /// key-value pairs <see cref="IWorldState.Commit"/> wrote into a capturing batch, <paramref name="stateRoot"/> the
    /// root it returned. Otherwise as <see cref="Commit(Block, BlockExecutionResult, IWorldState)"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The block is not the executed one.</exception>
    /// <exception cref="LedgerStoreException">The block does not extend the head, or the state root is not the header's.</exception>
    public void Commit(Block block, BlockExecutionResult execution, IEnumerable<KeyValuePair<byte[], byte[]>> stateWrites, Hash256 stateRoot)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(execution);
        ArgumentNullException.ThrowIfNull(stateWrites);
        if (block.Header.ComputeHash(_suite) != execution.Header.ComputeHash(_suite))
        {
            throw new ArgumentException("the block's header is not the executed block's header (certificate aside)", nameof(block));
        }

        var senders = new Address[execution.Transactions.Count];
        var hashes = new Hash256[senders.Length];
        for (int i = 0; i < senders.Length; i++)
        {
            senders[i] = execution.Transactions[i].Transaction.Sender;
            hashes[i] = execution.Transactions[i].Transaction.Hash;
        }

        Commit(
            block,
            execution.Receipts,
            batch =>
            {
                foreach (KeyValuePair<byte[], byte[]> write in stateWrites)
                {
                    batch.Put(write.Key, write.Value);
                }

                return stateRoot;
            },
            senders,
            hashes);
    }

    /// <summary>
    /// Writes, in ONE batch, the state changes (<see cref="IWorldState.Commit"/>), the header and body, the receipts,
    /// the transaction index, the log indexes and the new head, then commits the batch. If anything fails nothing is
    /// written and the head is unchanged; the state object has then marked its nodes written, so discard it and
    /// reopen the state at <see cref="Head"/>'s state root.
    /// </summary>
    /// <param name="block">The block; it must extend the head.</param>
    /// <param name="receipts">One receipt per transaction.</param>
    /// <param name="state">The state after executing the block.</param>
    /// <param name="senders">The transactions' senders; null recovers them from the signatures (slower).</param>
    /// <exception cref="LedgerStoreException">The block does not extend the head, a signature does not recover, or the state root differs from the header's.</exception>
    public void Commit(Block block, IReadOnlyList<Receipt> receipts, IWorldState state, IReadOnlyList<Address>? senders = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        Commit(block, receipts, state.Commit, senders, null);
    }

    private void Commit(Block block, IReadOnlyList<Receipt> receipts, Func<IWriteBatch, Hash256> writeState, IReadOnlyList<Address>? senders, Hash256[]? transactionHashes)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(receipts);
        BlockHeader header = block.Header;
        int count = block.Transactions.Count;
        if (receipts.Count != count)
        {
            throw new ArgumentException($"block {header.Height} has {count} transactions but {receipts.Count} receipts were given", nameof(receipts));
        }

        if (senders is not null && senders.Count != count)
        {
            throw new ArgumentException($"block {header.Height} has {count} transactions but {senders.Count} senders were given", nameof(senders));
        }

        lock (_writeLock)
        {
            HeadRecord head = _head ?? throw new LedgerStoreException("the store is empty; call Initialize(config) to write the genesis block first");
            if (header.Height != head.Height + 1 || header.ParentHash != head.Hash)
            {
                throw new LedgerStoreException(
                    $"block {header.Height} with parent {header.ParentHash} does not extend the head, block {head.Height} ({head.Hash})");
            }

            IReadOnlyList<Address> from = senders ?? RecoverSenders(block);
            Hash256 hash = header.ComputeHash(_suite);
            using IWriteBatch batch = _store.StartBatch();
            Hash256 stateRoot = writeState(batch);
            if (stateRoot != header.StateRoot)
            {
                throw new LedgerStoreException($"block {header.Height}: the state's root {stateRoot} is not the header's state root {header.StateRoot}");
            }

            WriteBlock(batch, block, hash, receipts, from, transactionHashes);

            // The head goes last: a store that fails mid-batch rolls back anyway, but a reader of a torn write
            // (which SQLite never exposes) would still find the old head.
            var newHead = new HeadRecord(header.Height, hash, header);
            batch.Put(BlockStoreKeys.Head, newHead.Encode());
            batch.Commit();
            _head = newHead;
        }
    }

    /// <summary>The hash of the committed block at <paramref name="height"/>, or null above the head.</summary>
    public Hash256? GetBlockHash(ulong height)
    {
        byte[]? value = _store.Get(BlockStoreKeys.Height(height));
        if (value is null)
        {
            return null;
        }

        return value.Length == Hash256.Length
            ? new Hash256(value)
            : throw new LedgerStoreException($"stored hash of block {height} is {value.Length} bytes, not 32");
    }

    /// <summary>The header at <paramref name="height"/>, or null above the head.</summary>
    public BlockHeader? GetHeader(ulong height) => GetBlockHash(height) is Hash256 hash ? GetHeader(hash) : null;

    /// <summary>The header of the block with <paramref name="hash"/>, or null if unknown.</summary>
    public BlockHeader? GetHeader(Hash256 hash)
    {
        byte[]? value = _store.Get(BlockStoreKeys.Header(hash));
        return value is null ? null : DecodeHeader(value, hash);
    }

    /// <summary>The block at <paramref name="height"/>, or null above the head.</summary>
    public Block? GetBlock(ulong height) => GetBlockHash(height) is Hash256 hash ? GetBlock(hash) : null;

    /// <summary>The block with <paramref name="hash"/>, or null if unknown.</summary>
    public Block? GetBlock(Hash256 hash)
    {
        BlockHeader? header = GetHeader(hash);
        if (header is null)
        {
            return null;
        }

        byte[] body = _store.Get(BlockStoreKeys.Body(hash)) ?? throw new LedgerStoreException($"block {header.Height} ({hash}) has a header but no body");
        return new Block(header, DecodeBody(body, header.Height));
    }

    /// <summary>The receipts of the block with <paramref name="blockHash"/>, or null if unknown.</summary>
    public IReadOnlyList<Receipt>? GetReceipts(Hash256 blockHash)
    {
        byte[]? value = _store.Get(BlockStoreKeys.Receipts(blockHash));
        return value is null ? null : DecodeReceipts(value, blockHash);
    }

    /// <summary>The state root after the block at <paramref name="height"/>, or null above the head.</summary>
    public Hash256? GetStateRoot(ulong height) => GetHeader(height)?.StateRoot;

    /// <summary>A committed transaction by hash, with its block, index, sender and receipt; null if unknown.</summary>
    public TransactionLocation? FindTransaction(Hash256 transactionHash)
    {
        if (!TryGetTransactionPosition(transactionHash, out ulong height, out int index, out Address sender))
        {
            return null;
        }

        Hash256 blockHash = GetBlockHash(height) ?? throw new LedgerStoreException($"transaction {transactionHash} is indexed at block {height}, which is not stored");
        Block block = GetBlock(blockHash) ?? throw new LedgerStoreException($"block {height} ({blockHash}) is indexed but not stored");
        IReadOnlyList<Receipt> receipts = GetReceipts(blockHash) ?? throw new LedgerStoreException($"block {height} ({blockHash}) has no stored receipts");
        if (index >= block.Transactions.Count || index >= receipts.Count)
        {
            throw new LedgerStoreException($"transaction {transactionHash} is indexed at position {index} of block {height}, which has {block.Transactions.Count} transactions");
        }

        int firstLog = 0;
        for (int i = 0; i < index; i++)
        {
            firstLog += receipts[i].Logs.Count;
        }

        Transaction transaction = block.Transactions[index];
        Receipt receipt = receipts[index];
        ulong previous = index == 0 ? 0 : receipts[index - 1].CumulativeGasUsed;
        Address? contract = transaction.To is null && receipt.Success ? ContractAddresses.FromNonce(_suite, sender, transaction.Nonce) : null;
        return new TransactionLocation(transaction, transactionHash, blockHash, height, index, sender, receipt, receipt.CumulativeGasUsed - previous, firstLog, contract);
    }

    /// <summary>The transaction index entry alone: block height, index in the block and sender (no block read).</summary>
    internal bool TryGetTransactionPosition(Hash256 transactionHash, out ulong height, out int index, out Address sender)
    {
        height = 0;
        index = 0;
        sender = default;
        byte[]? value = _store.Get(BlockStoreKeys.Transaction(transactionHash));
        if (value is null)
        {
            return false;
        }

        try
        {
            var reader = new RlpReader(value);
            RlpReader list = reader.ReadList();
            reader.EnsureEnd();
            height = list.ReadULong();
            ulong rawIndex = list.ReadULong();
            ReadOnlySpan<byte> senderBytes = list.ReadBytes();
            list.EnsureEnd();
            if (rawIndex > int.MaxValue || senderBytes.Length != Address.Length)
            {
                throw new RlpException($"index {rawIndex} or sender length {senderBytes.Length} out of range");
            }

            index = (int)rawIndex;
            sender = new Address(senderBytes);
            return true;
        }
        catch (RlpException e)
        {
            throw new LedgerStoreException($"stored index entry of transaction {transactionHash} does not decode: {e.Message}", e);
        }
    }

    /// <summary>
    /// The logs matching <paramref name="filter"/> in block order. A filter naming addresses or topics is answered
    /// from the log index (a range scan per address or topic), one naming neither by reading the receipts of the
    /// blocks whose bloom is not empty.
    /// </summary>
    /// <exception cref="LogQueryException">The range is reversed, a filter has more than four topic positions, or more than <paramref name="maxResults"/> logs match.</exception>
    public IReadOnlyList<IndexedLog> GetLogs(LogFilter filter, int maxResults = DefaultMaxLogs)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxResults);
        if (filter.Topics.Count > LogFilter.MaxTopicPositions)
        {
            throw new LogQueryException($"the filter has {filter.Topics.Count} topic positions; a log has at most {LogFilter.MaxTopicPositions}");
        }

        if (filter.ToBlock is ulong explicitTo && filter.FromBlock > explicitTo)
        {
            throw new LogQueryException($"fromBlock {filter.FromBlock} is after toBlock {explicitTo}");
        }

        HeadRecord? head = _head;
        if (head is null || filter.FromBlock > head.Height)
        {
            return [];
        }

        ulong to = Math.Min(filter.ToBlock ?? head.Height, head.Height);
        var results = new List<IndexedLog>();
        var reader = new LogReader(this);
        List<LogPointer>? candidates = FindCandidates(filter, filter.FromBlock, to);
        if (candidates is not null)
        {
            foreach (LogPointer pointer in candidates)
            {
                Log log = reader.GetLog(pointer);
                if (filter.Matches(log))
                {
                    AddResult(results, reader.Describe(log, pointer), maxResults, filter, to);
                }
            }

            return results;
        }

        for (ulong height = filter.FromBlock; height <= to; height++)
        {
            BlockHeader header = GetHeader(height) ?? throw new LedgerStoreException($"block {height} is below the head but not stored");
            if (header.LogsBloom.Bytes.IndexOfAnyExcept((byte)0) < 0)
            {
                continue;
            }

            IReadOnlyList<Receipt> receipts = reader.ReceiptsAt(height);
            uint logIndex = 0;
            for (int t = 0; t < receipts.Count; t++)
            {
                IReadOnlyList<Log> logs = receipts[t].Logs;
                for (int l = 0; l < logs.Count; l++, logIndex++)
                {
                    if (filter.Matches(logs[l]))
                    {
                        AddResult(results, reader.Describe(logs[l], new LogPointer(height, logIndex, t, l)), maxResults, filter, to);
                    }
                }
            }
        }

        return results;
    }

    private static void AddResult(List<IndexedLog> results, IndexedLog log, int maxResults, LogFilter filter, ulong to)
    {
        if (results.Count == maxResults)
        {
            throw new LogQueryException(
                $"query over blocks {filter.FromBlock}..{to} matches more than {maxResults} logs; narrow the block range or add address or topic filters")
            {
                LimitExceeded = true,
            };
        }

        results.Add(log);
    }

    // The index entries of the most selective-looking criterion (addresses first, else the first topic position
    // with alternatives), sorted and without duplicates; null when the filter names neither.
    private List<LogPointer>? FindCandidates(LogFilter filter, ulong from, ulong to)
    {
        var pointers = new List<LogPointer>();
        if (filter.Addresses.Count > 0)
        {
            foreach (Address address in filter.Addresses)
            {
                ScanIndex(BlockStoreKeys.AddressLogStart(address, from), BlockStoreKeys.AddressLogStart(address, to + 1), 1 + Address.Length, to, pointers);
            }
        }
        else
        {
            int position = -1;
            for (int i = 0; i < filter.Topics.Count; i++)
            {
                if (filter.Topics[i] is { Count: > 0 })
                {
                    position = i;
                    break;
                }
            }

            if (position < 0)
            {
                return null;
            }

            foreach (Hash256 topic in filter.Topics[position]!)
            {
                ScanIndex(BlockStoreKeys.TopicLogStart(position, topic, from), BlockStoreKeys.TopicLogStart(position, topic, to + 1), 2 + Hash256.Length, to, pointers);
            }
        }

        pointers.Sort();
        int write = 0;
        for (int read = 0; read < pointers.Count; read++)
        {
            if (write == 0 || pointers[read].CompareTo(pointers[write - 1]) != 0)
            {
                pointers[write++] = pointers[read];
            }
        }

        pointers.RemoveRange(write, pointers.Count - write);
        return pointers;
    }

    private void ScanIndex(byte[] start, byte[] end, int heightOffset, ulong to, List<LogPointer> pointers)
    {
        // to + 1 wraps to 0 at ulong.MaxValue; the end bound then means "no more than the prefix" instead.
        ReadOnlySpan<byte> bound = to == ulong.MaxValue ? [] : end;
        foreach (KeyValuePair<byte[], byte[]> entry in _store.ScanRange(start, bound))
        {
            byte[] key = entry.Key;
            if (key.Length != heightOffset + 12 || entry.Value.Length != 8 || !key.AsSpan(0, heightOffset).SequenceEqual(start.AsSpan(0, heightOffset)))
            {
                break;
            }

            pointers.Add(new LogPointer(
                BinaryPrimitives.ReadUInt64BigEndian(key.AsSpan(heightOffset)),
                BinaryPrimitives.ReadUInt32BigEndian(key.AsSpan(heightOffset + 8)),
                BinaryPrimitives.ReadInt32BigEndian(entry.Value),
                BinaryPrimitives.ReadInt32BigEndian(entry.Value.AsSpan(4))));
        }
    }

    private void WriteBlock(IWriteBatch batch, Block block, Hash256 hash, IReadOnlyList<Receipt> receipts, IReadOnlyList<Address> senders, Hash256[]? transactionHashes)
    {
        BlockHeader header = block.Header;
        batch.Put(BlockStoreKeys.Height(header.Height), hash.Bytes);
        batch.Put(BlockStoreKeys.Header(hash), header.Encode());
        batch.Put(BlockStoreKeys.Body(hash), EncodeBody(block.Transactions));
        batch.Put(BlockStoreKeys.Receipts(hash), EncodeReceipts(receipts));
        var writer = new RlpWriter(64);
        uint logIndex = 0;
        for (int i = 0; i < block.Transactions.Count; i++)
        {
            writer.Reset();
            int list = writer.StartList();
            writer.WriteULong(header.Height);
            writer.WriteULong((ulong)i);
            writer.WriteBytes(senders[i].Bytes);
            writer.EndList(list);
            Hash256 transactionHash = transactionHashes?[i] ?? block.Transactions[i].ComputeHash(_suite);
            batch.Put(BlockStoreKeys.Transaction(transactionHash), writer.WrittenSpan);

            IReadOnlyList<Log> logs = receipts[i].Logs;
            for (int l = 0; l < logs.Count; l++, logIndex++)
            {
                Log log = logs[l];
                byte[] position = BlockStoreKeys.LogPosition(i, l);
                batch.Put(BlockStoreKeys.AddressLog(log.Address, header.Height, logIndex), position);
                for (int p = 0; p < log.Topics.Count && p < LogFilter.MaxTopicPositions; p++)
                {
                    batch.Put(BlockStoreKeys.TopicLog(p, log.Topics[p], header.Height, logIndex), position);
                }
            }
        }
    }

    private Address[] RecoverSenders(Block block)
    {
        ulong chainId = _chain?.ChainId ?? throw new LedgerStoreException("the store has no chain record; call Initialize(config) first");
        var validator = new TransactionValidator(_suite, chainId);
        var senders = new Address[block.Transactions.Count];
        for (int i = 0; i < senders.Length; i++)
        {
            TxValidation validation = validator.Validate(block.Transactions[i], out VerifiedTransaction? verified);
            if (!validation.IsValid)
            {
                throw new LedgerStoreException($"block {block.Header.Height} transaction {i} is invalid: {validation.Message}");
            }

            senders[i] = verified!.Sender;
        }

        return senders;
    }

    internal static byte[] EncodeBody(IReadOnlyList<Transaction> transactions)
    {
        var writer = new RlpWriter(256 * (transactions.Count + 1));
        int list = writer.StartList();
        foreach (Transaction transaction in transactions)
        {
            Block.WriteTransaction(writer, transaction);
        }

        writer.EndList(list);
        return writer.ToArray();
    }

    internal static Transaction[] DecodeBody(ReadOnlySpan<byte> encoded, ulong height)
    {
        try
        {
            var reader = new RlpReader(encoded);
            RlpReader list = reader.ReadList();
            reader.EnsureEnd();
            var transactions = new List<Transaction>();
            while (list.HasMore)
            {
                bool isList = list.PeekKind() == RlpItemKind.List;
                ReadOnlySpan<byte> item = isList ? list.ReadEncodedItem() : list.ReadBytes();
                TxValidation decoded = TransactionDecoder.TryDecode(item, out Transaction? transaction);
                if (!decoded.IsValid)
                {
                    throw new RlpException($"transaction {transactions.Count}: {decoded.Message}");
                }

                if ((transaction!.Type == TxType.Legacy) != isList)
                {
                    throw new RlpException($"transaction {transactions.Count}: typed transactions are byte strings, legacy ones lists");
                }

                transactions.Add(transaction);
            }

            return [.. transactions];
        }
        catch (RlpException e)
        {
            throw new LedgerStoreException($"stored body of block {height} does not decode: {e.Message}", e);
        }
    }

    internal static byte[] EncodeReceipts(IReadOnlyList<Receipt> receipts)
    {
        var writer = new RlpWriter(256 * (receipts.Count + 1));
        int list = writer.StartList();
        foreach (Receipt receipt in receipts)
        {
            writer.WriteBytes(receipt.EncodedBytes);
        }

        writer.EndList(list);
        return writer.ToArray();
    }

    internal static Receipt[] DecodeReceipts(ReadOnlySpan<byte> encoded, Hash256 blockHash)
    {
        try
        {
            var reader = new RlpReader(encoded);
            RlpReader list = reader.ReadList();
            reader.EnsureEnd();
            var receipts = new List<Receipt>();
            while (list.HasMore)
            {
                receipts.Add(Receipt.Decode(list.ReadBytes()));
            }

            return [.. receipts];
        }
        catch (RlpException e)
        {
            throw new LedgerStoreException($"stored receipts of block {blockHash} do not decode: {e.Message}", e);
        }
    }

    private static BlockHeader DecodeHeader(ReadOnlySpan<byte> encoded, Hash256 hash)
    {
        try
        {
            return BlockHeader.Decode(encoded);
        }
        catch (RlpException e)
        {
            throw new LedgerStoreException($"stored header of block {hash} does not decode: {e.Message}", e);
        }
    }

    private HeadRecord? ReadHead()
    {
        byte[]? value = _store.Get(BlockStoreKeys.Head);
        if (value is null)
        {
            return null;
        }

        ulong height;
        Hash256 hash;
        try
        {
            var reader = new RlpReader(value);
            RlpReader list = reader.ReadList();
            reader.EnsureEnd();
            height = list.ReadULong();
            ReadOnlySpan<byte> hashBytes = list.ReadBytes();
            list.EnsureEnd();
            if (hashBytes.Length != Hash256.Length)
            {
                throw new RlpException($"head hash is {hashBytes.Length} bytes, not 32");
            }

            hash = new Hash256(hashBytes);
        }
        catch (RlpException e)
        {
            throw new LedgerStoreException($"stored head pointer does not decode: {e.Message}", e);
        }

        BlockHeader header = GetHeader(hash) ?? throw new LedgerStoreException($"the head pointer names block {height} ({hash}), whose header is not stored");
        return new HeadRecord(height, hash, header);
    }

    private ChainRecord? ReadChain()
    {
        byte[]? value = _store.Get(BlockStoreKeys.Chain);
        if (value is null)
        {
            return null;
        }

        try
        {
            var reader = new RlpReader(value);
            RlpReader list = reader.ReadList();
            reader.EnsureEnd();
            ulong chainId = list.ReadULong();
            ReadOnlySpan<byte> genesis = list.ReadBytes();
            list.EnsureEnd();
            return genesis.Length == Hash256.Length
                ? new ChainRecord(chainId, new Hash256(genesis))
                : throw new RlpException($"genesis hash is {genesis.Length} bytes, not 32");
        }
        catch (RlpException e)
        {
            throw new LedgerStoreException($"stored chain record does not decode: {e.Message}", e);
        }
    }

    private sealed record HeadRecord(ulong Height, Hash256 Hash, BlockHeader Header)
    {
        public byte[] Encode()
        {
            var writer = new RlpWriter(48);
            int list = writer.StartList();
            writer.WriteULong(Height);
            writer.WriteBytes(Hash.Bytes);
            writer.EndList(list);
            return writer.ToArray();
        }
    }

    private sealed record ChainRecord(ulong ChainId, Hash256 GenesisHash)
    {
        public byte[] Encode()
        {
            var writer = new RlpWriter(48);
            int list = writer.StartList();
            writer.WriteULong(ChainId);
            writer.WriteBytes(GenesisHash.Bytes);
            writer.EndList(list);
            return writer.ToArray();
        }
    }

    private readonly record struct LogPointer(ulong Height, uint LogIndex, int TransactionIndex, int LogInTransaction) : IComparable<LogPointer>
    {
        public int CompareTo(LogPointer other) => Height != other.Height ? Height.CompareTo(other.Height) : LogIndex.CompareTo(other.LogIndex);
    }

    // Reads one block at a time for a log query (pointers arrive in block order).
    private sealed class LogReader(BlockStore store)
    {
        private ulong _height = ulong.MaxValue;
        private Hash256 _hash;
        private IReadOnlyList<Receipt> _receipts = [];
        private Transaction[]? _transactions;
        private Hash256[]? _transactionHashes;

        public IReadOnlyList<Receipt> ReceiptsAt(ulong height)
        {
            Load(height);
            return _receipts;
        }

        public Log GetLog(LogPointer pointer)
        {
            Load(pointer.Height);
            if ((uint)pointer.TransactionIndex >= (uint)_receipts.Count || (uint)pointer.LogInTransaction >= (uint)_receipts[pointer.TransactionIndex].Logs.Count)
            {
                throw new LedgerStoreException(
                    $"log index entry names transaction {pointer.TransactionIndex} log {pointer.LogInTransaction} of block {pointer.Height}, which has no such log");
            }

            return _receipts[pointer.TransactionIndex].Logs[pointer.LogInTransaction];
        }

        public IndexedLog Describe(Log log, LogPointer pointer)
        {
            Load(pointer.Height);
            if (_transactions is null)
            {
                Block block = store.GetBlock(_hash) ?? throw new LedgerStoreException($"block {_height} ({_hash}) has no stored body");
                _transactions = [.. block.Transactions];
                _transactionHashes = new Hash256[_transactions.Length];
            }

            int index = pointer.TransactionIndex;
            if ((uint)index >= (uint)_transactions.Length)
            {
                throw new LedgerStoreException($"block {_height} has {_receipts.Count} receipts but {_transactions.Length} transactions");
            }

            if (_transactionHashes![index] == Hash256.Zero)
            {
                _transactionHashes[index] = _transactions[index].ComputeHash(store._suite);
            }

            return new IndexedLog(log, _height, _hash, _transactionHashes[index], index, (int)pointer.LogIndex);
        }

        private void Load(ulong height)
        {
            if (height == _height)
            {
                return;
            }

            _hash = store.GetBlockHash(height) ?? throw new LedgerStoreException($"block {height} is indexed but not stored");
            _receipts = store.GetReceipts(_hash) ?? throw new LedgerStoreException($"block {height} ({_hash}) has no stored receipts");
            _transactions = null;
            _transactionHashes = null;
            _height = height;
        }
    }
}
