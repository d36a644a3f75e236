using Trellis.Core;
using Trellis.Crypto;
using Trellis.Ledger.Genesis;
using Trellis.Ledger.Pool;
using Trellis.Ledger.Transactions;

namespace Trellis.Ledger.Tests.Pool;

public sealed class TxPoolTests
{
    private const ulong ChainId = 1337;

    private static readonly ICryptoSuite Suite = CryptoSuites.Standard;

    private static readonly Address Recipient = Address.Parse("0x00000000000000000000000000000000000000cc");

    private readonly FakeState _state = new();

    [Fact]
    public void TryAdd_AcceptsAValidTransactionAndCountsIt()
    {
        Account alice = Fund();
        byte[] raw = alice.Send(0);
        TxPool pool = Pool();

        TxPoolResult result = pool.TryAdd(raw);

        Assert.True(result.IsAccepted, result.ToString());
        Assert.Equal(Keccak256.Hash(raw), result.Hash);
        Assert.Equal(1, pool.Count);
        Assert.Equal(raw.Length, pool.Bytes);
        Assert.True(pool.Contains(result.Hash));
        Assert.Equal(alice.Address, pool.Find(result.Hash)!.Sender);
    }

    [Fact]
    public void TryAdd_RejectsOversizedTransactionBeforeDecoding()
    {
        TxPoolResult result = Pool().TryAdd(new byte[140000]);
        Assert.Equal(TxError.TransactionTooLarge, result.Error);
        Assert.Equal("transaction size 140000 exceeds the limit 131072", result.Message);
    }

    [Fact]
    public void TryAdd_RejectsTenMegabyteBlobAndRandomBytesCleanly()
    {
        TxPool pool = Pool();
        Assert.Equal(TxError.TransactionTooLarge, pool.TryAdd(new byte[10 * 1024 * 1024]).Error);
        var random = new Random(42);
        for (int i = 0; i < 2000; i++)
        {
            byte[] bytes = new byte[random.Next(0, 300)];
            random.NextBytes(bytes);
            TxPoolResult result = pool.TryAdd(bytes);
            Assert.False(result.IsAccepted);
            Assert.False(string.IsNullOrEmpty(result.Message));
        }

        Assert.Equal(0, pool.Count);
    }

    [Fact]
    public void TryAdd_RejectsDuplicateAsAlreadyKnown()
    {
        Account alice = Fund();
        TxPool pool = Pool();
        byte[] raw = alice.Send(0);
        pool.TryAdd(raw);

        TxPoolResult again = pool.TryAdd(raw);

        Assert.Equal(TxError.AlreadyKnown, again.Error);
        Assert.Equal("already known", again.Message);
        Assert.Equal(1, pool.Count);
    }

    [Fact]
    public void TryAdd_RejectsNonceBelowTheAccountNonce()
    {
        Account alice = Fund(nonce: 5);
        TxPoolResult result = Pool().TryAdd(alice.Send(4));
        Assert.Equal(TxError.NonceTooLow, result.Error);
        Assert.Equal("nonce too low: 4 < expected 5", result.Message);
    }

    [Fact]
    public void TryAdd_RejectsNonceTooFarAhead()
    {
        Account alice = Fund();
        Assert.Equal(TxError.NonceTooHigh, Pool().TryAdd(alice.Send(TxPool.MaxNonceGap + 1)).Error);
        Assert.True(Pool().TryAdd(alice.Send(TxPool.MaxNonceGap)).IsAccepted);
    }

    [Fact]
    public void TryAdd_RejectsWhenBalanceDoesNotCoverGasTimesPricePlusValue()
    {
        Account alice = Fund(balance: 10);
        TxPoolResult result = Pool().TryAdd(alice.Send(0, fee: 1));
        Assert.Equal(TxError.InsufficientFunds, result.Error);
        Assert.Equal("insufficient funds for gas * price + value: balance 10, need 21000", result.Message);

        Account bob = Fund(balance: 21000 + 5);
        Assert.Equal(TxError.InsufficientFunds, Pool().TryAdd(bob.Send(0, fee: 1, value: 6)).Error);
        Assert.True(Pool().TryAdd(bob.Send(0, fee: 1, value: 5)).IsAccepted);
    }

    [Fact]
    public void TryAdd_RejectsGasLimitAboveTheBlockGasLimit()
    {
        Account alice = Fund();
        TxPoolResult result = Pool().TryAdd(alice.Send(0, gasLimit: 40_000_000));
        Assert.Equal(TxError.GasLimitExceedsBlockLimit, result.Error);
        Assert.Equal("gas limit 40000000 exceeds block gas limit 30000000", result.Message);
    }

    [Fact]
    public void TryAdd_RejectsTransactionForAnotherChain()
    {
        Account alice = Fund();
        TxPoolResult result = Pool().TryAdd(alice.Send(0, chainId: 5));
        Assert.Equal(TxError.InvalidChainId, result.Error);
        Assert.Equal("invalid chain id 5 (this chain is 1337)", result.Message);
    }

    [Fact]
    public void TryAdd_RejectsPreEip155LegacyTransaction()
    {
        Account alice = Fund();
        byte[] raw = new TransactionBuilder { Type = TxType.Legacy, MaxFeePerGas = 1, To = Recipient }.Sign(Suite, alice.Key).Encode();
        TxPoolResult result = Pool().TryAdd(raw);
        Assert.Equal(TxError.NotReplayProtected, result.Error);
        Assert.Contains("EIP-155", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryAdd_RejectsBadSignature()
    {
        Account alice = Fund();
        var fields = new TransactionBuilder { ChainId = ChainId, MaxFeePerGas = 1, To = Recipient };
        byte[] signature = fields.Sign(Suite, alice.Key).Signature.ToArray();
        signature.AsSpan(0, 32).Fill(0xff);   // r above the group order

        TxPoolResult result = Pool().TryAdd(Transactions.TestTransactions.WithSignature(fields, signature));

        Assert.Equal(TxError.InvalidSignature, result.Error);
        Assert.StartsWith("invalid signature: r 0xffff", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryAdd_AsksThePermissionPolicy()
    {
        Account alice = Fund();
        var policy = new DenyDeployments();
        TxPool pool = Pool(permissions: policy);

        Assert.True(pool.TryAdd(alice.Send(0)).IsAccepted);
        TxPoolResult deploy = pool.TryAdd(new TransactionBuilder { ChainId = ChainId, Nonce = 1, MaxFeePerGas = 1, GasLimit = 100_000, Data = new byte[] { 0 } }.Sign(Suite, alice.Key).Encode());

        Assert.Equal(TxError.NotPermitted, deploy.Error);
        Assert.Equal($"sender {alice.Address} is not permitted to deploy contracts: deployment needs the deploy right", deploy.Message);
    }

    [Fact]
    public void TryAdd_ReplacesSameNonceOnlyWithAtLeastTenPercentHigherFee()
    {
        Account alice = Fund();
        TxPool pool = Pool();
        TxPoolResult original = pool.TryAdd(alice.Send(0, fee: 100));

        TxPoolResult underpriced = pool.TryAdd(alice.Send(0, fee: 109));
        TxPoolResult replacement = pool.TryAdd(alice.Send(0, fee: 110));

        Assert.Equal(TxError.ReplacementUnderpriced, underpriced.Error);
        Assert.StartsWith("replacement transaction underpriced: need at least 10% higher fee", underpriced.Message, StringComparison.Ordinal);
        Assert.True(replacement.IsAccepted);
        Assert.Equal(original.Hash, replacement.Replaced);
        Assert.False(pool.Contains(original.Hash));
        Assert.Equal(1, pool.Count);
        Assert.Equal(replacement.Hash, Assert.Single(pool.GetPending(10, long.MaxValue)).Hash);
    }

    [Fact]
    public void GetPending_OrdersByFeeThenArrivalKeepingEachSendersNonceOrder()
    {
        Account alice = Fund();
        Account bob = Fund();
        Account carol = Fund();
        TxPool pool = Pool();
        pool.TryAdd(alice.Send(0, fee: 5));
        pool.TryAdd(alice.Send(1, fee: 50));
        pool.TryAdd(bob.Send(0, fee: 10));
        pool.TryAdd(carol.Send(0, fee: 5));

        IReadOnlyList<VerifiedTransaction> pending = pool.GetPending(10, long.MaxValue);

        // bob (10) first; then alice 0 and carol 0 tie at 5, alice arrived first; alice 1 (50) becomes available
        // only after alice 0, and then outbids carol.
        Assert.Equal(
            [(bob.Address, 0UL), (alice.Address, 0UL), (alice.Address, 1UL), (carol.Address, 0UL)],
            pending.Select(t => (t.Sender, t.Transaction.Nonce)));
        Assert.Equal(pending.Select(t => t.Hash), pool.GetPending(10, long.MaxValue).Select(t => t.Hash));
    }

    [Fact]
    public void GetPending_WithholdsFutureNoncesUntilTheGapIsFilled()
    {
        Account alice = Fund();
        TxPool pool = Pool();
        pool.TryAdd(alice.Send(2));
        pool.TryAdd(alice.Send(1));

        Assert.Empty(pool.GetPending(10, long.MaxValue));
        Assert.Equal(0UL, pool.GetPendingNonce(alice.Address));

        pool.TryAdd(alice.Send(0));

        Assert.Equal([0UL, 1UL, 2UL], pool.GetPending(10, long.MaxValue).Select(t => t.Transaction.Nonce));
        Assert.Equal(3UL, pool.GetPendingNonce(alice.Address));
    }

    [Fact]
    public void GetPending_RespectsCountAndGasBounds()
    {
        Account alice = Fund();
        Account bob = Fund();
        TxPool pool = Pool();
        pool.TryAdd(alice.Send(0, fee: 9, gasLimit: 50_000));
        pool.TryAdd(alice.Send(1, fee: 9));
        pool.TryAdd(bob.Send(0, fee: 1));

        Assert.Single(pool.GetPending(1, long.MaxValue));

        // 50000 does not fit in 40000: alice's chain is skipped from there, bob's 21000 fits.
        Assert.Equal([bob.Address], pool.GetPending(10, 40_000).Select(t => t.Sender));
        Assert.Empty(pool.GetPending(0, long.MaxValue));
    }

    [Fact]
    public void OnNewHead_DropsTransactionsTheHeadHasPassedAndRemoveIncludedDropsByHash()
    {
        Account alice = Fund();
        TxPool pool = Pool();
        Hash256 first = pool.TryAdd(alice.Send(0)).Hash;
        Hash256 second = pool.TryAdd(alice.Send(1)).Hash;
        Hash256 third = pool.TryAdd(alice.Send(2)).Hash;

        _state.Nonces[alice.Address] = 2;
        pool.OnNewHead(_state);

        Assert.False(pool.Contains(first));
        Assert.False(pool.Contains(second));
        Assert.Equal(third, Assert.Single(pool.GetPending(10, long.MaxValue)).Hash);

        pool.RemoveIncluded([third]);
        Assert.Equal(0, pool.Count);
        Assert.Equal(0, pool.Bytes);
    }

    [Fact]
    public void TryAdd_WhenFullEvictsTheCheapestTailOnlyForAHigherFee()
    {
        Account alice = Fund();
        Account bob = Fund();
        Account carol = Fund();
        Account dave = Fund();
        TxPool pool = Pool(maxCount: 3);
        Hash256 cheap = pool.TryAdd(alice.Send(0, fee: 1)).Hash;
        pool.TryAdd(bob.Send(0, fee: 2));
        pool.TryAdd(carol.Send(0, fee: 3));

        TxPoolResult tooCheap = pool.TryAdd(dave.Send(0, fee: 1));
        Assert.Equal(TxError.PoolFull, tooCheap.Error);
        Assert.StartsWith("pool is full", tooCheap.Message, StringComparison.Ordinal);

        Assert.True(pool.TryAdd(dave.Send(0, fee: 5)).IsAccepted);
        Assert.False(pool.Contains(cheap));
        Assert.Equal(3, pool.Count);
    }

    [Fact]
    public void TryAdd_EvictionTakesLastNoncesSoNoSenderIsLeftWithAGap()
    {
        Account alice = Fund();
        Account bob = Fund();
        TxPool pool = Pool(maxCount: 3);
        Hash256 a0 = pool.TryAdd(alice.Send(0, fee: 1)).Hash;
        Hash256 a1 = pool.TryAdd(alice.Send(1, fee: 9)).Hash;
        Hash256 b0 = pool.TryAdd(bob.Send(0, fee: 5)).Hash;
        Account carol = Fund();

        // alice 0 is the cheapest but not a tail: alice 1 (fee 9) is the tail, so bob 0 (fee 5) is the cheapest tail.
        Assert.True(pool.TryAdd(carol.Send(0, fee: 6)).IsAccepted);

        Assert.True(pool.Contains(a0));
        Assert.True(pool.Contains(a1));
        Assert.False(pool.Contains(b0));
    }

    [Fact]
    public void TryAdd_WhenFullByBytesEvictsEnoughTransactions()
    {
        Account alice = Fund();
        Account bob = Fund();
        Account carol = Fund();
        byte[] small1 = alice.Send(0, fee: 1);
        byte[] small2 = bob.Send(0, fee: 1);
        byte[] big = carol.Send(0, fee: 2, gasLimit: 200_000, data: new byte[small1.Length]);
        TxPool pool = Pool(maxBytes: small1.Length + small2.Length + 10, maxTxBytes: big.Length);
        pool.TryAdd(small1);
        pool.TryAdd(small2);

        TxPoolResult result = pool.TryAdd(big);
        Assert.True(result.IsAccepted, result.ToString());
        Assert.Equal(1, pool.Count);
        Assert.Equal(big.Length, pool.Bytes);
    }

    [Fact]
    public void TryAdd_NationalPoolAcceptsNativeAndRefusesEthereumEnvelopes()
    {
        ICryptoSuite national = CryptoSuites.National;
        PrivateKey key = national.GeneratePrivateKey();
        Address sender = national.ToAddress(national.DerivePublicKey(key));
        _state.Balances[sender] = UInt256.Parse("1000000000000000000");
        var pool = new TxPool(Config(), national, _state);

        TxPoolResult native = pool.TryAdd(new TransactionBuilder { ChainId = ChainId, MaxFeePerGas = 1, To = Recipient }.Sign(national, key).Encode());
        TxPoolResult ethereum = pool.TryAdd(Fund().Send(0));

        Assert.True(native.IsAccepted, native.ToString());
        Assert.Equal(national.Hash(pool.Find(native.Hash)!.Transaction.Encoded), native.Hash);
        Assert.Equal(TxError.SuiteMismatch, ethereum.Error);
    }

    [Fact]
    public void TryAdd_IsSafeUnderConcurrentCallers()
    {
        Account[] accounts = [.. Enumerable.Range(0, 8).Select(_ => Fund())];
        byte[][] raws = [.. accounts.SelectMany(a => Enumerable.Range(0, 25).Select(n => a.Send((ulong)n)))];
        TxPool pool = Pool();

        Parallel.ForEach(raws, new ParallelOptions { MaxDegreeOfParallelism = 4 }, raw => pool.TryAdd(raw));

        Assert.Equal(raws.Length, pool.Count);
        Assert.Equal(raws.Sum(r => (long)r.Length), pool.Bytes);
        Assert.Equal(raws.Length, pool.GetPending(int.MaxValue, long.MaxValue).Count);
    }

    [Fact]
    public void AddRange_GivesEachTransactionWhatTryAddGivesItInOrder()
    {
        Account alice = Fund();
        Account bob = Fund(nonce: 3);
        Account poor = Fund(balance: 10);
        var fields = new TransactionBuilder { ChainId = ChainId, MaxFeePerGas = 1, To = Recipient };
        byte[] badSignature = fields.Sign(Suite, alice.Key).Signature.ToArray();
        badSignature.AsSpan(0, 32).Fill(0xff);
        var batch = new List<byte[]>
        {
            alice.Send(0, fee: 100),
            alice.Send(0, fee: 100),                       // the same bytes again
            alice.Send(0, fee: 105),                       // replacement without the 10% bump
            alice.Send(0, fee: 110),                       // replacement with it
            alice.Send(2),                                 // a nonce gap: pooled, not executable
            bob.Send(2),                                   // below the account nonce
            bob.Send(3 + TxPool.MaxNonceGap + 1),          // too far ahead
            poor.Send(0),                                  // cannot pay for gas
            alice.Send(3, gasLimit: 40_000_000),           // above the block gas limit
            alice.Send(3, chainId: 5),                     // another chain
            Transactions.TestTransactions.WithSignature(fields, badSignature),
            new byte[140_000],                             // too large
            new byte[] { 0x02, 0xc0, 0xff },                         // not a transaction
        };
        for (ulong nonce = 3; nonce < 3 + 40; nonce++)
        {
            batch.Add(bob.Send(nonce));                    // enough to spread recovery over threads
        }

        batch.Add(alice.Send(1));                          // fills alice's gap
        TxPool sequential = Pool();
        TxPoolResult[] expected = [.. batch.Select(raw => sequential.TryAdd(raw))];
        TxPool batched = Pool();

        TxPoolResult[] results = batched.AddRange([.. batch.Select(raw => (ReadOnlyMemory<byte>)raw)], maxParallelism: 4);

        Assert.Equal(expected, results);
        Assert.True(results[0].IsAccepted);
        Assert.Equal(TxError.AlreadyKnown, results[1].Error);
        Assert.Equal("already known", results[1].Message);
        Assert.Equal(TxError.ReplacementUnderpriced, results[2].Error);
        Assert.Equal(results[0].Hash, results[3].Replaced);
        Assert.True(results[4].IsAccepted);
        Assert.Equal("nonce too low: 2 < expected 3", results[5].Message);
        Assert.Equal(TxError.NonceTooHigh, results[6].Error);
        Assert.Equal("insufficient funds for gas * price + value: balance 10, need 21000", results[7].Message);
        Assert.Equal("gas limit 40000000 exceeds block gas limit 30000000", results[8].Message);
        Assert.Equal(TxError.InvalidChainId, results[9].Error);
        Assert.StartsWith("invalid signature: r 0xffff", results[10].Message, StringComparison.Ordinal);
        Assert.Equal("transaction size 140000 exceeds the limit 131072", results[11].Message);
        Assert.False(results[12].IsAccepted);
        Assert.All(results[13..], r => Assert.True(r.IsAccepted, r.ToString()));
        Assert.Equal(sequential.Count, batched.Count);
        Assert.Equal(sequential.Bytes, batched.Bytes);
        Assert.Equal(
            sequential.GetPending(int.MaxValue, long.MaxValue).Select(v => v.Hash),
            batched.GetPending(int.MaxValue, long.MaxValue).Select(v => v.Hash));
        Assert.Equal(43, batched.GetPending(int.MaxValue, long.MaxValue).Count);
    }

    [Fact]
    public void AddRange_TakesARememberedVerificationOnceAndRejectsTheRepeatAsKnown()
    {
        Account alice = Fund();
        byte[] raw = alice.Send(0);
        var validator = new TransactionValidator(Suite, ChainId);
        Assert.True(validator.DecodeAndValidate(raw, out VerifiedTransaction? verified).IsValid);
        TxPool pool = Pool();
        pool.RememberVerified([verified!]);

        TxPoolResult[] results = pool.AddRange([raw, raw]);

        Assert.True(results[0].IsAccepted);
        Assert.Equal(Keccak256.Hash(raw), results[0].Hash);
        Assert.Equal(alice.Address, pool.Find(results[0].Hash)!.Sender);
        Assert.Equal(TxError.AlreadyKnown, results[1].Error);
    }

    [Fact]
    public void AddRange_OfNothingChangesNothing()
    {
        TxPool pool = Pool();
        Assert.Empty(pool.AddRange([]));
        Assert.Equal(0, pool.Count);
    }

    [Fact]
    public void AddRange_RejectsRandomBytesCleanlyInParallel()
    {
        var random = new Random(7);
        var batch = new ReadOnlyMemory<byte>[500];
        for (int i = 0; i < batch.Length; i++)
        {
            byte[] bytes = new byte[random.Next(0, 300)];
            random.NextBytes(bytes);
            batch[i] = bytes;
        }

        TxPool pool = Pool();
        TxPoolResult[] results = pool.AddRange(batch, maxParallelism: 4);

        Assert.All(results, r => Assert.False(r.IsAccepted || string.IsNullOrEmpty(r.Message)));
        Assert.Equal(0, pool.Count);
    }

    [Fact]
    public void AddRange_IsSafeUnderConcurrentBatchesAndSingleAdds()
    {
        Account[] accounts = [.. Enumerable.Range(0, 8).Select(_ => Fund())];
        ReadOnlyMemory<byte>[][] batches = [.. accounts.Select(a => Enumerable.Range(0, 40).Select(n => (ReadOnlyMemory<byte>)a.Send((ulong)n)).ToArray())];
        Account single = Fund();
        TxPool pool = Pool();

        Parallel.Invoke(
            () => Parallel.ForEach(batches, new ParallelOptions { MaxDegreeOfParallelism = 3 }, batch => Assert.All(pool.AddRange(batch, 2), r => Assert.True(r.IsAccepted))),
            () =>
            {
                for (ulong n = 0; n < 40; n++)
                {
                    Assert.True(pool.TryAdd(single.Send(n)).IsAccepted);
                }
            });

        Assert.Equal(9 * 40, pool.Count);
        Assert.Equal(9 * 40, pool.GetPending(int.MaxValue, long.MaxValue).Count);
    }

    private TxPool Pool(int maxCount = 10_000, long maxBytes = 64L * 1024 * 1024, int maxTxBytes = 131072, IPermissionPolicy? permissions = null) =>
        new(Config(maxCount, maxBytes, maxTxBytes), Suite, _state, permissions);

    private static ChainConfig Config(int maxCount = 10_000, long maxBytes = 64L * 1024 * 1024, int maxTxBytes = 131072) => new()
    {
        ChainId = ChainId,
        Suite = Suite,
        Consensus = new ConsensusConfig { Engine = "solo" },
        BlockGasLimit = 30_000_000,
        TxPool = new TxPoolConfig { MaxCount = maxCount, MaxBytes = maxBytes, MaxTxBytes = maxTxBytes },
        Members = [new MemberConfig { Name = "org" }],
        Nodes = [new NodeConfig { Name = "n", Org = "org", Role = NodeRole.Validator, Address = Recipient }],
    };

    private Account Fund(ulong nonce = 0, ulong balance = 1_000_000_000_000)
    {
        PrivateKey key = Suite.GeneratePrivateKey();
        var account = new Account(key, Suite.ToAddress(Suite.DerivePublicKey(key)));
        _state.Nonces[account.Address] = nonce;
        _state.Balances[account.Address] = balance;
        return account;
    }

    private sealed record Account(PrivateKey Key, Address Address)
    {
        public byte[] Send(ulong nonce, ulong fee = 1, ulong gasLimit = 21000, ulong value = 0, ulong chainId = ChainId, byte[]? data = null) =>
            new TransactionBuilder
            {
                Type = TxType.DynamicFee,
                ChainId = chainId,
                Nonce = nonce,
                MaxPriorityFeePerGas = fee,
                MaxFeePerGas = fee,
                GasLimit = data is null ? gasLimit : Math.Max(gasLimit, 21000 + (16 * (ulong)data.Length)),
                To = Recipient,
                Value = value,
                Data = data ?? [],
            }.Sign(Suite, Key).Encode();
    }

    private sealed class FakeState : IAccountStateReader
    {
        public Dictionary<Address, ulong> Nonces { get; } = [];

        public Dictionary<Address, UInt256> Balances { get; } = [];

        public ulong GetNonce(in Address address) => Nonces.GetValueOrDefault(address);

        public UInt256 GetBalance(in Address address) => Balances.GetValueOrDefault(address);
    }

    private sealed class DenyDeployments : IPermissionPolicy
    {
        public bool IsAllowed(in Address sender, bool deploysContract, out string reason)
        {
            reason = deploysContract ? "deployment needs the deploy right" : string.Empty;
            return !deploysContract;
        }
    }
}
