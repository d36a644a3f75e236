using System.Numerics;
using Trellis.Core;
using Trellis.Core.Rlp;
using Trellis.Crypto;
using Trellis.Ledger.Blocks;
using Trellis.Ledger.Transactions;

namespace Trellis.Ledger.Tests.Blocks;

public sealed class BlockTests
{
    private static readonly ICryptoSuite Standard = CryptoSuites.Standard;

    private static readonly Hash256 EmptyTrieRoot = Hash256.Parse("0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421");

    private static readonly Address Contract = Address.Parse("0x00000000000000000000000000000000000000aa");

    [Fact]
    public void Roots_OfNothingAreTheEmptyTrieRoot()
    {
        Assert.Equal(EmptyTrieRoot, BlockRoots.Transactions(Standard, []));
        Assert.Equal(EmptyTrieRoot, BlockRoots.Receipts(Standard, []));
    }

    [Fact]
    public void ReceiptsRoot_OfOneSuccessfulPlainTransferMatchesEthereum()
    {
        // The receipts root of every Ethereum block holding one successful 21000-gas transfer without logs
        // (e.g. a Hardhat or geth --dev block after one send).
        var receipt = new Receipt(TxType.Legacy, true, 21000, []);
        Assert.Equal(Hash256.Parse("0x056b23fbba480696b65fe5a59b8f2148a1299103c4f57df839233af2cf4ca2d2"), BlockRoots.Receipts(Standard, [receipt]));
    }

    [Fact]
    public void TransactionsRoot_OfOneTransactionIsTheHashOfOneLeaf()
    {
        Transaction transaction = Sign(TxType.DynamicFee, 0);

        // A single entry under key RLP(0) = 0x80 (nibbles 8, 0) is a leaf with hex-prefix path 0x20 0x80.
        byte[] leaf = new RlpList(new RlpString([0x20, 0x80]), new RlpString(transaction.Encoded)).Encode();

        Assert.Equal(Keccak256.Hash(leaf), BlockRoots.Transactions(Standard, [transaction]));
    }

    [Fact]
    public void TransactionsRoot_OfTwoTransactionsIsABranchOverTwoLeaves()
    {
        Transaction first = Sign(TxType.Legacy, 0);
        Transaction second = Sign(TxType.Native, 1);

        // Keys 0x80 (nibbles 8,0) and 0x01 (nibbles 0,1) split at the first nibble: a branch with children at 0 and 8,
        // each a leaf with one remaining nibble (odd hex-prefix 0x3_). Both leaves exceed 32 bytes, so they are hashed.
        byte[] leafAt8 = new RlpList(new RlpString([0x30]), new RlpString(first.Encoded)).Encode();
        byte[] leafAt0 = new RlpList(new RlpString([0x31]), new RlpString(second.Encoded)).Encode();
        var children = new RlpItem[17];
        for (int i = 0; i < children.Length; i++)
        {
            children[i] = new RlpString([]);
        }

        children[0] = new RlpString(Keccak256.Hash(leafAt0).Bytes);
        children[8] = new RlpString(Keccak256.Hash(leafAt8).Bytes);
        byte[] branch = new RlpList(children).Encode();

        Assert.Equal(Keccak256.Hash(branch), BlockRoots.Transactions(Standard, [first, second]));
    }

    [Fact]
    public void Roots_UseTheSuiteHash()
    {
        var receipt = new Receipt(TxType.Native, true, 21000, []);
        byte[] leaf = new RlpList(new RlpString([0x20, 0x80]), new RlpString(receipt.Encode())).Encode();

        Assert.Equal(CryptoSuites.National.Hash(leaf), BlockRoots.Receipts(CryptoSuites.National, [receipt]));
    }

    [Fact]
    public void Receipt_EncodesAsEthereumTypedReceipt()
    {
        var log = new Log(Contract, [Hash256.Parse("0x0000000000000000000000000000000000000000000000000000000000000001")], [0xde, 0xad]);
        var receipt = new Receipt(TxType.DynamicFee, false, 0x5208, [log]);

        var expected = new RlpList(
            new RlpString([]),
            new RlpString([0x52, 0x08]),
            new RlpString(LogsBloom.FromLogs([log]).Bytes),
            new RlpList(new RlpList(new RlpString(Contract.Bytes), new RlpList(new RlpString(log.Topics[0].Bytes)), new RlpString([0xde, 0xad]))));

        byte[] encoded = receipt.Encode();
        Assert.Equal([0x02, .. expected.Encode()], encoded);

        Receipt decoded = Receipt.Decode(encoded);
        Assert.Equal(TxType.DynamicFee, decoded.Type);
        Assert.False(decoded.Success);
        Assert.Equal(0x5208UL, decoded.CumulativeGasUsed);
        Assert.Equal(log.Topics[0], decoded.Logs[0].Topics[0]);
        Assert.Equal(encoded, decoded.Encode());
    }

    [Fact]
    public void Receipt_DecodeRejectsBloomThatDoesNotMatchLogs()
    {
        byte[] encoded = new Receipt(TxType.Legacy, true, 1, [new Log(Contract, [], [])]).Encode();
        byte[] tampered = (byte[])encoded.Clone();
        tampered[^30] ^= 0xff;   // inside the bloom
        Assert.Throws<RlpException>(() => Receipt.Decode(tampered));
        Assert.Throws<RlpException>(() => Receipt.Decode([0x07, 0xc0]));
        Assert.Throws<RlpException>(() => Receipt.Decode([]));
    }

    [Fact]
    public void Bloom_SetsTheBitsTheYellowPaperDefines()
    {
        // M3:2048 read as a 2048-bit big-endian integer: bit b is 2^b, for b the low 11 bits of each of the first
        // three 16-bit big-endian words of Keccak-256 of the value.
        var log = new Log(Contract, [Keccak256.Hash("Transfer(address,address,uint256)"u8)], []);
        BigInteger expected = BigInteger.Zero;
        foreach (byte[] value in new[] { Contract.ToArray(), log.Topics[0].ToArray() })
        {
            byte[] hash = Keccak256.Hash(value).ToArray();
            for (int i = 0; i < 3; i++)
            {
                expected |= BigInteger.One << (((hash[2 * i] << 8) + hash[(2 * i) + 1]) % 2048);
            }
        }

        LogsBloom bloom = LogsBloom.FromLogs([log]);
        byte[] expectedBytes = new byte[LogsBloom.Length];
        byte[] magnitude = expected.ToByteArray(isUnsigned: true, isBigEndian: true);
        magnitude.CopyTo(expectedBytes, expectedBytes.Length - magnitude.Length);

        Assert.Equal(expectedBytes, bloom.Bytes.ToArray());
        Assert.True(bloom.MayContain(Contract.Bytes));
        Assert.True(bloom.MayContain(log.Topics[0].Bytes));
    }

    [Fact]
    public void HeaderHash_ExcludesTheCertificateAndCoversEveryOtherField()
    {
        BlockHeader header = Header();
        Hash256 hash = header.ComputeHash(Standard);

        Assert.Equal(hash, header.WithCertificate([1, 2, 3]).ComputeHash(Standard));
        Assert.NotEqual(hash, new BlockHeader
        {
            ParentHash = header.ParentHash,
            Height = header.Height + 1,
            Timestamp = header.Timestamp,
            Proposer = header.Proposer,
            TransactionsRoot = header.TransactionsRoot,
            ReceiptsRoot = header.ReceiptsRoot,
            StateRoot = header.StateRoot,
            GasLimit = header.GasLimit,
        }.ComputeHash(Standard));
        Assert.NotEqual(hash, header.ComputeHash(CryptoSuites.National));

        // The hash is the suite hash of the RLP of the ten consensus fields, built here item by item.
        var fields = new RlpList(
            new RlpString(header.ParentHash.Bytes),
            new RlpString([0x05]),
            new RlpString([0x64, 0xb5, 0xf0, 0x00]),
            new RlpString(header.Proposer.Bytes),
            new RlpString(header.TransactionsRoot.Bytes),
            new RlpString(header.ReceiptsRoot.Bytes),
            new RlpString(header.StateRoot.Bytes),
            new RlpString(new byte[256]),
            new RlpString([0x52, 0x08]),
            new RlpString([0x01, 0xc9, 0xc3, 0x80]));
        Assert.Equal(Keccak256.Hash(fields.Encode()), hash);
    }

    [Fact]
    public void Header_RoundTripsWithCertificate()
    {
        BlockHeader header = Header().WithCertificate([9, 8, 7]);
        BlockHeader decoded = BlockHeader.Decode(header.Encode());

        Assert.Equal(header.Encode(), decoded.Encode());
        Assert.Equal(new byte[] { 9, 8, 7 }, decoded.ConsensusCertificate.ToArray());
        Assert.Equal(header.ComputeHash(Standard), decoded.ComputeHash(Standard));
    }

    [Fact]
    public void Block_RoundTripsWithEveryEnvelope()
    {
        Transaction[] transactions = [Sign(TxType.Legacy, 0), Sign(TxType.AccessList, 1), Sign(TxType.DynamicFee, 2), Sign(TxType.Native, 3)];
        var block = new Block(Header(), transactions);

        Block decoded = Block.Decode(block.Encode());

        Assert.Equal(block.Encode(), decoded.Encode());
        Assert.Equal(4, decoded.Transactions.Count);
        for (int i = 0; i < transactions.Length; i++)
        {
            Assert.Equal(transactions[i].Encoded.ToArray(), decoded.Transactions[i].Encode());
        }
    }

    [Fact]
    public void Block_DecodeRejectsMalformedInputWithRlpException()
    {
        byte[] encoded = new Block(Header(), [Sign(TxType.DynamicFee, 0)]).Encode();
        Assert.Throws<RlpException>(() => Block.Decode(encoded.AsSpan(0, encoded.Length - 1)));
        Assert.Throws<RlpException>(() => Block.Decode([.. encoded, 0]));
        Assert.Throws<RlpException>(() => Block.Decode([0xc0]));
        Assert.Throws<RlpException>(() => BlockHeader.Decode([0xc1, 0x80]));
    }

    private static BlockHeader Header() => new()
    {
        ParentHash = Keccak256.Hash("parent"u8),
        Height = 5,
        Timestamp = 1_689_645_056,
        Proposer = Contract,
        TransactionsRoot = Keccak256.Hash("tx"u8),
        ReceiptsRoot = Keccak256.Hash("rx"u8),
        StateRoot = Keccak256.Hash("state"u8),
        GasUsed = 21000,
        GasLimit = 30_000_000,
    };

    private static Transaction Sign(TxType type, ulong nonce) => new TransactionBuilder
    {
        Type = type,
        ChainId = 1,
        Nonce = nonce,
        MaxPriorityFeePerGas = 1,
        MaxFeePerGas = 1,
        To = Contract,
        Value = 1,
    }.Sign(Standard, Standard.GeneratePrivateKey());
}
