using Trellis.Core;
using Trellis.Crypto;
using Trellis.Ledger.Genesis;
using Trellis.Ledger.Transactions;

namespace Trellis.Ledger.Pool;

/// <summary>
/// Pending transactions waiting for a block. Admission checks size, encoding, signature, chain id (replay-protected
/// only), gas limit against the block limit, duplicates, permission, nonce and balance. Per sender, transactions
/// are kept by nonce; those with contiguous nonces from the account nonce are executable. The pool is bounded by
/// count and bytes: when full, a transaction paying more evicts the cheapest last-nonce transaction of another
/// sender chain; otherwise it is refused.
/// </summary>
/// <remarks>
/// Thread-safe: one lock (<c>_gate</c>) guards every collection and counter below and the head reader; signature
/// recovery runs before taking it. The state reader and permission policy are called under the lock.
/// </remarks>
public sealed class TxPool
{
    /// <summary>How far ahead of the account nonce a transaction may be (bounds per-sender memory).</summary>
    public const ulong MaxNonceGap = 1024;

    /// <summary>The percentage by which a replacement must raise both fee caps.</summary>
    public const int ReplacementBumpPercent = 10;

    /// <summary>Most transactions remembered by <see cref="RememberVerified"/>.</summary>
    public const int RecentlyVerifiedCapacity = 16_384;

    // Fewer transactions than this per thread are not worth a parallel loop in AddRange.
    private const int MinTransactionsPerWorker = 16;

    private readonly Lock _gate = new();
    private readonly TransactionValidator _validator;
    private readonly IPermissionPolicy? _permissions;
    private readonly ulong _blockGasLimit;
    private readonly int _maxCount;
    private readonly long _maxBytes;
    private readonly int _maxTxBytes;

    private readonly Dictionary<Hash256, Entry> _byHash = [];
    private readonly Dictionary<Address, SortedList<ulong, Entry>> _bySender = [];
    private readonly Dictionary<Hash256, VerifiedTransaction> _recent = [];
    private readonly Queue<Hash256> _recentOrder = new();
    private int _recentCount;
    private IAccountStateReader _head;
    private long _bytes;
    private long _nextSequence;

    /// <summary>Creates an empty pool for the chain <paramref name="config"/> describes.</summary>
    public TxPool(ChainConfig config, ICryptoSuite suite, IAccountStateReader head, IPermissionPolicy? permissions = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(head);
        _validator = new TransactionValidator(suite, config.ChainId, requireReplayProtection: true);
        _head = head;
        _permissions = permissions;
        _blockGasLimit = config.BlockGasLimit;
        _maxCount = config.TxPool.MaxCount;
        _maxBytes = config.TxPool.MaxBytes;
        _maxTxBytes = config.TxPool.MaxTxBytes;
    }

    /// <summary>Transactions held.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byHash.Count;
            }
        }
    }

    /// <summary>Bytes of encoded transactions held.</summary>
    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    /// <summary>Decodes, validates and admits a raw transaction. Never throws for any input.</summary>
    public TxPoolResult TryAdd(ReadOnlySpan<byte> rawTransaction)
    {
        Transaction? candidate = Decode(rawTransaction, out TxPoolResult rejected);
        if (candidate is null)
        {
            return rejected;
        }

        // A transaction whose block arrived before its gossip was verified then: reuse that instead of a second recovery.
        VerifiedTransaction? verified = Volatile.Read(ref _recentCount) > 0 ? TakeRecentlyVerified(candidate) : null;
        verified = Verify(candidate, verified, out rejected);
        if (verified is null)
        {
            return rejected;
        }

        lock (_gate)
        {
            return AddLocked(verified);
        }
    }

    /// <summary>
    /// Admits several raw transactions with the same checks, results and messages as <see cref="TryAdd"/> called on each
    /// in order, but decodes them and recovers their senders in parallel (up to <paramref name="maxParallelism"/>
    /// threads, outside the lock) and then takes the lock once for the whole batch. Never throws for any input.
    /// </summary>
    /// <returns>One result per transaction, in the same order.</returns>
    public TxPoolResult[] AddRange(IReadOnlyList<ReadOnlyMemory<byte>> rawTransactions, int maxParallelism = 0)
    {
        ArgumentNullException.ThrowIfNull(rawTransactions);
        int count = rawTransactions.Count;
        var results = new TxPoolResult[count];
        if (count == 0)
        {
            return results;
        }

        // Decoding is cheap next to recovery; decode first so remembered verifications can be taken under one lock.
        var candidates = new Transaction?[count];
        var verified = new VerifiedTransaction?[count];
        for (int i = 0; i < count; i++)
        {
            candidates[i] = Decode(rawTransactions[i].Span, out results[i]);
        }

        if (Volatile.Read(ref _recentCount) > 0)
        {
            TakeRecentlyVerified(candidates, verified);
        }

        int workers = Math.Min(maxParallelism <= 0 ? Environment.ProcessorCount : maxParallelism, count / MinTransactionsPerWorker);
        if (workers <= 1)
        {
            Verify(candidates, verified, results, 0, count);
        }
        else
        {
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, worker =>
                Verify(candidates, verified, results, (int)((long)count * worker / workers), (int)((long)count * (worker + 1) / workers)));
        }

        lock (_gate)
        {
            for (int i = 0; i < count; i++)
            {
                if (verified[i] is VerifiedTransaction ready)
                {
                    results[i] = AddLocked(ready);
                }
            }
        }

        return results;
    }

    /// <summary>
    /// Executable transactions for the next block: per sender, contiguous nonces from the account nonce; across
    /// senders, highest fee first, then earliest arrival. Stops at <paramref name="maxCount"/> transactions, and skips
    /// a sender (and its later nonces) whose next transaction does not fit in the gas left.
    /// </summary>
    public IReadOnlyList<VerifiedTransaction> GetPending(int maxCount, long maxGas)
    {
        var result = new List<VerifiedTransaction>();
        if (maxCount <= 0 || maxGas <= 0)
        {
            return result;
        }

        lock (_gate)
        {
            // Each sender offers its next executable transaction; the best offer is taken and replaced by the next.
            var offers = new PriorityQueue<Cursor, Entry>(EntryPriority.Instance);
            foreach (KeyValuePair<Address, SortedList<ulong, Entry>> sender in _bySender)
            {
                ulong nonce = _head.GetNonce(sender.Key);
                int index = sender.Value.IndexOfKey(nonce);
                if (index >= 0)
                {
                    offers.Enqueue(new Cursor(sender.Value, index), sender.Value.Values[index]);
                }
            }

            ulong gasLeft = (ulong)maxGas;
            while (result.Count < maxCount && offers.TryDequeue(out Cursor cursor, out Entry? entry))
            {
                if (entry.Verified.Transaction.GasLimit > gasLeft)
                {
                    continue;
                }

                gasLeft -= entry.Verified.Transaction.GasLimit;
                result.Add(entry.Verified);
                int next = cursor.Index + 1;
                IList<ulong> nonces = cursor.Chain.Keys;
                if (next < nonces.Count && nonces[next] == nonces[cursor.Index] + 1)
                {
                    offers.Enqueue(new Cursor(cursor.Chain, next), cursor.Chain.Values[next]);
                }
            }
        }

        return result;
    }

    /// <summary>The nonce the sender's next transaction should use: the account nonce plus its contiguous pooled ones.</summary>
    public ulong GetPendingNonce(Address address)
    {
        lock (_gate)
        {
            ulong nonce = _head.GetNonce(address);
            if (_bySender.TryGetValue(address, out SortedList<ulong, Entry>? chain))
            {
                while (chain.ContainsKey(nonce))
                {
                    nonce++;
                }
            }

            return nonce;
        }
    }

    /// <summary>True if the pool holds the transaction.</summary>
    public bool Contains(Hash256 hash)
    {
        lock (_gate)
        {
            return _byHash.ContainsKey(hash);
        }
    }

    /// <summary>The pooled transaction with this hash, if any.</summary>
    public VerifiedTransaction? Find(Hash256 hash)
    {
        lock (_gate)
        {
            return _byHash.TryGetValue(hash, out Entry? entry) ? entry.Verified : null;
        }
    }

    /// <summary>
    /// Looks up the pooled, already verified form of each of <paramref name="transactions"/> under one acquisition of
    /// the lock (a block of thousands would otherwise take it thousands of times against the admission threads).
    /// <paramref name="found"/>[i] is set only when the pool holds a transaction with the same hash and bytes.
    /// </summary>
    /// <returns>How many were found.</returns>
    public int FindVerified(IReadOnlyList<Transaction> transactions, ReadOnlySpan<Hash256> hashes, Span<VerifiedTransaction?> found)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        if (hashes.Length != transactions.Count || found.Length < transactions.Count)
        {
            throw new ArgumentException($"{transactions.Count} transactions need as many hashes (got {hashes.Length}) and result slots (got {found.Length})");
        }

        int count = 0;
        lock (_gate)
        {
            for (int i = 0; i < hashes.Length; i++)
            {
                if (_byHash.TryGetValue(hashes[i], out Entry? entry))
                {
                    found[i] = entry.Verified;
                    count++;
                }
            }
        }

        // The byte comparison runs outside the lock: a hash match with different bytes is never trusted.
        for (int i = 0; i < hashes.Length; i++)
        {
            if (found[i] is VerifiedTransaction pooled && !pooled.Transaction.Encoded.SequenceEqual(transactions[i].Encoded))
            {
                found[i] = null;
                count--;
            }
        }

        return count;
    }

    /// <summary>
    /// Keeps transactions verified outside the pool (the senders of a received block that the pool did not hold), so
    /// that when the same transaction is gossiped afterwards its admission does not recover the sender again. Bounded:
    /// the oldest are forgotten first.
    /// </summary>
    public void RememberVerified(IReadOnlyList<VerifiedTransaction> transactions)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        lock (_gate)
        {
            foreach (VerifiedTransaction verified in transactions)
            {
                if (_recent.TryAdd(verified.Hash, verified))
                {
                    _recentOrder.Enqueue(verified.Hash);
                }
            }

            while (_recentOrder.Count > RecentlyVerifiedCapacity)
            {
                _recent.Remove(_recentOrder.Dequeue());
            }

            Volatile.Write(ref _recentCount, _recent.Count);
        }
    }

    /// <summary>Removes transactions that a committed block included.</summary>
    public void RemoveIncluded(IEnumerable<Hash256> hashes)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        lock (_gate)
        {
            foreach (Hash256 hash in hashes)
            {
                if (_byHash.TryGetValue(hash, out Entry? entry))
                {
                    Remove(entry);
                }
            }
        }
    }

    /// <summary>Switches to the state of a new head and drops every transaction whose nonce it has passed.</summary>
    public void OnNewHead(IAccountStateReader head)
    {
        ArgumentNullException.ThrowIfNull(head);
        lock (_gate)
        {
            _head = head;
            var stale = new List<Entry>();
            foreach (KeyValuePair<Address, SortedList<ulong, Entry>> sender in _bySender)
            {
                ulong nonce = head.GetNonce(sender.Key);
                foreach (Entry entry in sender.Value.Values)
                {
                    if (entry.Verified.Transaction.Nonce >= nonce)
                    {
                        break;
                    }

                    stale.Add(entry);
                }
            }

            foreach (Entry entry in stale)
            {
                Remove(entry);
            }
        }
    }

    // The size and encoding checks of admission: the decoded transaction, or null and the rejection.
    private Transaction? Decode(ReadOnlySpan<byte> rawTransaction, out TxPoolResult rejected)
    {
        rejected = default;
        if (rawTransaction.Length > _maxTxBytes)
        {
            rejected = TxPoolResult.Rejected(TxError.TransactionTooLarge, $"transaction size {rawTransaction.Length} exceeds the limit {_maxTxBytes}");
            return null;
        }

        TxValidation decoded = TransactionDecoder.TryDecode(rawTransaction, out Transaction? candidate);
        if (!decoded.IsValid)
        {
            rejected = TxPoolResult.Rejected(decoded.Error, decoded.Message);
            return null;
        }

        return candidate;
    }

    // The stateless checks after decoding (signature, unless already verified, then the block gas limit): the
    // verified transaction, or null and the rejection.
    private VerifiedTransaction? Verify(Transaction candidate, VerifiedTransaction? verified, out TxPoolResult rejected)
    {
        rejected = default;
        if (verified is null)
        {
            TxValidation validation = _validator.Validate(candidate, out verified);
            if (!validation.IsValid)
            {
                rejected = TxPoolResult.Rejected(validation.Error, validation.Message);
                return null;
            }
        }

        Transaction transaction = verified!.Transaction;
        if (transaction.GasLimit > _blockGasLimit)
        {
            rejected = TxPoolResult.Rejected(TxError.GasLimitExceedsBlockLimit, $"gas limit {transaction.GasLimit} exceeds block gas limit {_blockGasLimit}");
            return null;
        }

        return verified;
    }

    // Verifies candidates [from, to) of a batch in place: verified[i] is set, or results[i] holds the rejection.
    private void Verify(Transaction?[] candidates, VerifiedTransaction?[] verified, TxPoolResult[] results, int from, int to)
    {
        for (int i = from; i < to; i++)
        {
            if (candidates[i] is Transaction candidate)
            {
                verified[i] = Verify(candidate, verified[i], out results[i]);
            }
        }
    }

    // Takes the remembered verifications of a batch's candidates under one acquisition of the lock. A transaction
    // repeated in the batch takes it once, as consecutive TryAdd calls would; the others recover their sender.
    private void TakeRecentlyVerified(Transaction?[] candidates, VerifiedTransaction?[] verified)
    {
        var hashes = new Hash256[candidates.Length];
        for (int i = 0; i < candidates.Length; i++)
        {
            if (candidates[i] is Transaction candidate)
            {
                hashes[i] = candidate.ComputeHash(_validator.Suite);
            }
        }

        lock (_gate)
        {
            for (int i = 0; i < candidates.Length; i++)
            {
                if (candidates[i] is not null && _recent.Remove(hashes[i], out VerifiedTransaction? remembered))
                {
                    verified[i] = remembered;
                }
            }

            Volatile.Write(ref _recentCount, _recent.Count);
        }

        for (int i = 0; i < candidates.Length; i++)
        {
            if (verified[i] is VerifiedTransaction remembered && !remembered.Transaction.Encoded.SequenceEqual(candidates[i]!.Encoded))
            {
                verified[i] = null;
            }
        }
    }

    // The remembered verification of exactly these bytes, if any; taken (it is needed once).
    private VerifiedTransaction? TakeRecentlyVerified(Transaction transaction)
    {
        Hash256 hash = transaction.ComputeHash(_validator.Suite);
        VerifiedTransaction? verified;
        lock (_gate)
        {
            if (!_recent.Remove(hash, out verified))
            {
                return null;
            }

            // Its hash stays in _recentOrder until it reaches the front; removing it there is then a no-op.
            Volatile.Write(ref _recentCount, _recent.Count);
        }

        return verified.Transaction.Encoded.SequenceEqual(transaction.Encoded) ? verified : null;
    }

    private TxPoolResult AddLocked(VerifiedTransaction verified)
    {
        Transaction transaction = verified.Transaction;
        Address sender = verified.Sender;
        if (_byHash.ContainsKey(verified.Hash))
        {
            return TxPoolResult.Rejected(TxError.AlreadyKnown, "already known");
        }

        if (_permissions is not null && !_permissions.IsAllowed(sender, transaction.IsContractCreation, out string reason))
        {
            return TxPoolResult.Rejected(TxError.NotPermitted, $"sender {sender} is not permitted to {(transaction.IsContractCreation ? "deploy contracts" : "transact")}: {reason}");
        }

        ulong accountNonce = _head.GetNonce(sender);
        if (transaction.Nonce < accountNonce)
        {
            return TxPoolResult.Rejected(TxError.NonceTooLow, $"nonce too low: {transaction.Nonce} < expected {accountNonce}");
        }

        if (transaction.Nonce - accountNonce > MaxNonceGap)
        {
            return TxPoolResult.Rejected(TxError.NonceTooHigh, $"nonce too high: {transaction.Nonce} is more than {MaxNonceGap} ahead of the account nonce {accountNonce}");
        }

        UInt256 balance = _head.GetBalance(sender);
        UInt256.MultiplyOverflow(transaction.MaxFeePerGas, transaction.GasLimit, out UInt256 gasCost);
        bool overflow = UInt256.AddOverflow(gasCost, transaction.Value, out UInt256 cost);
        if (overflow || balance < cost)
        {
            return TxPoolResult.Rejected(
                TxError.InsufficientFunds,
                $"insufficient funds for gas * price + value: balance {balance}, need {(overflow ? "more than 2^256 - 1" : cost.ToString())}");
        }

        _bySender.TryGetValue(sender, out SortedList<ulong, Entry>? chain);
        Entry? replaced = null;
        if (chain is not null && chain.TryGetValue(transaction.Nonce, out Entry? existing))
        {
            if (!PaysReplacementBump(transaction, existing.Verified.Transaction))
            {
                return TxPoolResult.Rejected(
                    TxError.ReplacementUnderpriced,
                    $"replacement transaction underpriced: need at least {ReplacementBumpPercent}% higher fee (maxFeePerGas and maxPriorityFeePerGas) than the pending {existing.Verified.Hash}");
            }

            replaced = existing;
        }

        int length = transaction.Length;
        List<Entry>? victims = null;
        int count = _byHash.Count - (replaced is null ? 0 : 1) + 1;
        long bytes = _bytes - (replaced?.Length ?? 0) + length;
        if (count > _maxCount || bytes > _maxBytes)
        {
            victims = ChooseVictims(verified, replaced, count, bytes);
            if (victims is null)
            {
                return TxPoolResult.Rejected(TxError.PoolFull, $"pool is full ({_byHash.Count} transactions, {_bytes} bytes) and this transaction does not pay more than the cheapest it could evict");
            }
        }

        if (replaced is not null)
        {
            Remove(replaced);
        }

        if (victims is not null)
        {
            foreach (Entry victim in victims)
            {
                Remove(victim);
            }
        }

        var entry = new Entry(verified, length, _nextSequence++);
        if (!_bySender.TryGetValue(sender, out chain))
        {
            chain = [];
            _bySender.Add(sender, chain);
        }

        chain.Add(transaction.Nonce, entry);
        _byHash.Add(verified.Hash, entry);
        _bytes += length;
        return TxPoolResult.Accepted(verified.Hash, replaced?.Verified.Hash);
    }

    // Picks the cheapest sender-chain tails until the newcomer fits, or returns null (and changes nothing) if one
    // of them pays as much as the newcomer. Tails only, so no sender is left with a nonce gap; never the newcomer's
    // own lower nonces, which it needs.
    private List<Entry>? ChooseVictims(VerifiedTransaction incoming, Entry? replaced, int count, long bytes)
    {
        UInt256 fee = incoming.Transaction.PoolFeePerGas;
        var victims = new List<Entry>();
        var taken = new Dictionary<Address, int>();
        while (count > _maxCount || bytes > _maxBytes)
        {
            Entry? cheapest = null;
            foreach (KeyValuePair<Address, SortedList<ulong, Entry>> sender in _bySender)
            {
                taken.TryGetValue(sender.Key, out int removed);
                int tail = sender.Value.Count - 1 - removed;
                if (tail < 0)
                {
                    continue;
                }

                Entry candidate = sender.Value.Values[tail];
                if (candidate == replaced && --tail >= 0)
                {
                    candidate = sender.Value.Values[tail];
                }

                if (candidate == replaced || (sender.Key == incoming.Sender && candidate.Verified.Transaction.Nonce < incoming.Transaction.Nonce))
                {
                    continue;
                }

                if (cheapest is null || EntryPriority.Instance.Compare(candidate, cheapest) > 0)
                {
                    cheapest = candidate;
                }
            }

            if (cheapest is null || cheapest.Fee >= fee)
            {
                return null;
            }

            victims.Add(cheapest);
            Address owner = cheapest.Verified.Sender;
            taken[owner] = taken.GetValueOrDefault(owner) + 1;
            count--;
            bytes -= cheapest.Length;
        }

        return victims;
    }

    private static bool PaysReplacementBump(Transaction incoming, Transaction existing) =>
        AtLeastBumped(incoming.MaxFeePerGas, existing.MaxFeePerGas) && AtLeastBumped(incoming.MaxPriorityFeePerGas, existing.MaxPriorityFeePerGas);

    // new >= old * (100 + bump) / 100, computed as old + old / 10 so it cannot overflow silently.
    private static bool AtLeastBumped(UInt256 incoming, UInt256 existing)
    {
        bool overflow = UInt256.AddOverflow(existing, existing / (100 / ReplacementBumpPercent), out UInt256 threshold);
        return !overflow && incoming >= threshold && incoming > existing;
    }

    private void Remove(Entry entry)
    {
        Address sender = entry.Verified.Sender;
        _byHash.Remove(entry.Verified.Hash);
        _bytes -= entry.Length;
        if (_bySender.TryGetValue(sender, out SortedList<ulong, Entry>? chain))
        {
            chain.Remove(entry.Verified.Transaction.Nonce);
            if (chain.Count == 0)
            {
                _bySender.Remove(sender);
            }
        }
    }

    private sealed class Entry(VerifiedTransaction verified, int length, long sequence)
    {
        public VerifiedTransaction Verified { get; } = verified;

        public int Length { get; } = length;

        public long Sequence { get; } = sequence;

        public UInt256 Fee { get; } = verified.Transaction.PoolFeePerGas;
    }

    private readonly record struct Cursor(SortedList<ulong, Entry> Chain, int Index);

    // Orders by fee, highest first, then by arrival, earliest first: the PriorityQueue dequeues the smallest.
    private sealed class EntryPriority : IComparer<Entry>
    {
        public static readonly EntryPriority Instance = new();

        public int Compare(Entry? x, Entry? y)
        {
            ArgumentNullException.ThrowIfNull(x);
            ArgumentNullException.ThrowIfNull(y);
            int byFee = y.Fee.CompareTo(x.Fee);
            return byFee != 0 ? byFee : x.Sequence.CompareTo(y.Sequence);
        }
    }
}
