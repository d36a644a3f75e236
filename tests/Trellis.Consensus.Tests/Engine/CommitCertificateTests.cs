using Trellis.Consensus.HotStuff;
using Trellis.Consensus.HotStuff.Messages;
using Trellis.Ledger.Blocks;

namespace Trellis.Consensus.Tests.Engine;

/// <summary>A four-validator chain that committed a few transfers, shared by the certificate tests.</summary>
public sealed class CommittedChainFixture : IAsyncLifetime
{
    internal EngineCluster Cluster { get; } = new();

    internal List<Block> Blocks { get; } = [];

    public async Task InitializeAsync()
    {
        Cluster.StartAll();
        for (int i = 0; i < 4; i++)
        {
            Cluster.Submit(i, Cluster.Transfer(i, 0));
        }

        await Cluster.WaitUntilAsync(() => HotStuffEngineTests.CommittedTransactions(Cluster.Nodes[0]) == 4, "4 transfers committed");
        Cluster.Submit(0, Cluster.Transfer(4, 0));
        await Cluster.WaitUntilAsync(() => HotStuffEngineTests.CommittedTransactions(Cluster.Nodes[0]) == 5 && Cluster.Nodes[0].Height >= 2, "a fifth transfer committed in a later block");
        var node = Cluster.Nodes[0];
        for (ulong h = 1; h <= node.Height; h++)
        {
            Blocks.Add(node.Blocks.GetBlock(h)!);
        }
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

public class CommitCertificateTests(CommittedChainFixture chain) : IClassFixture<CommittedChainFixture>
{
    private HotStuffEngine Engine => chain.Cluster.Nodes[1].Engine;

    private Block First => chain.Blocks[0];

    [Fact]
    public void CommittedBlocks_CarryCertificatesThatVerify_OnEveryEngine()
    {
        foreach (var node in chain.Cluster.Nodes)
        {
            foreach (var block in chain.Blocks)
            {
                Assert.True(node.Engine.VerifyCommitCertificate(block, out var error), error);
            }
        }
    }

    [Fact]
    public void MissingOrTruncatedCertificate_IsRefused()
    {
        Assert.False(Engine.VerifyCommitCertificate(WithCertificate(First, []), out var error));
        Assert.Contains("no consensus certificate", error, StringComparison.Ordinal);
        var bytes = First.Header.ConsensusCertificate.ToArray();
        for (int length = 1; length < bytes.Length; length += 7)
        {
            Assert.False(Engine.VerifyCommitCertificate(WithCertificate(First, bytes[..length]), out error), $"prefix of {length} bytes verified");
            Assert.NotNull(error);
        }
    }

    [Fact]
    public void ForgedSignature_IsRefused()
    {
        var certificate = Decode(First);
        var forged = certificate.Signatures.Select(s => new ValidatorSignature(s.Validator, (byte[])s.Signature.Clone())).ToArray();
        forged[0].Signature[5] ^= 0x01;
        Assert.False(Engine.VerifyCommitCertificate(WithCertificate(First, certificate with { Signatures = forged }), out var error));
        Assert.Contains("invalid signature", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TooFewSigners_AreRefused()
    {
        var certificate = Decode(First);
        Assert.False(Engine.VerifyCommitCertificate(WithCertificate(First, certificate with { Signatures = certificate.Signatures.Take(2).ToArray() }), out var error));
        Assert.Contains("a quorum is 3 of 4", error, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateSigners_AreRefused()
    {
        var certificate = Decode(First);
        var signatures = certificate.Signatures.ToArray();
        signatures[2] = signatures[0];
        Assert.False(Engine.VerifyCommitCertificate(WithCertificate(First, certificate with { Signatures = signatures }), out var error));
        Assert.Contains("twice", error, StringComparison.Ordinal);
    }

    [Fact]
    public void CertificateOfAnotherBlock_IsRefused()
    {
        var second = chain.Blocks[1];
        Assert.False(Engine.VerifyCommitCertificate(WithCertificate(second, First.Header.ConsensusCertificate.ToArray()), out var error));
        Assert.Contains("invalid signature", error, StringComparison.Ordinal);

        var certificate = Decode(First);
        Assert.False(Engine.VerifyCommitCertificate(WithCertificate(First, certificate with { View = certificate.View + 1 }), out _));
        Assert.False(Engine.VerifyCommitCertificate(WithCertificate(First, certificate with { ParentHash = new Core.Hash256(new byte[32]) }), out _));
    }

    [Fact]
    public void AlteredBlockContents_BreakTheCertificate()
    {
        var withTransactions = chain.Blocks.First(b => b.Transactions.Count > 0);
        Assert.False(Engine.VerifyCommitCertificate(new Block(withTransactions.Header, []), out _));
        var header = withTransactions.Header;
        var altered = new BlockHeader
        {
            ParentHash = header.ParentHash,
            Height = header.Height,
            Timestamp = header.Timestamp + 1,
            Proposer = header.Proposer,
            TransactionsRoot = header.TransactionsRoot,
            ReceiptsRoot = header.ReceiptsRoot,
            StateRoot = header.StateRoot,
            LogsBloom = header.LogsBloom,
            GasUsed = header.GasUsed,
            GasLimit = header.GasLimit,
            ConsensusCertificate = header.ConsensusCertificate,
        };
        Assert.False(Engine.VerifyCommitCertificate(new Block(altered, withTransactions.Transactions), out _));
    }

    [Fact]
    public void GarbageCertificate_IsRefused()
    {
        var random = new Random(7);
        for (int i = 0; i < 200; i++)
        {
            var bytes = new byte[random.Next(1, 400)];
            random.NextBytes(bytes);
            Assert.False(Engine.VerifyCommitCertificate(WithCertificate(First, bytes), out var error));
            Assert.NotNull(error);
        }
    }

    private HotStuffCommitCertificate Decode(Block block)
    {
        var codec = new HotStuffCodec(chain.Cluster.Suite, 4);
        Assert.True(codec.TryDecodeCertificate(block.Header.ConsensusCertificate.Span, out var certificate, out var error), error);
        return certificate!;
    }

    private static Block WithCertificate(Block block, HotStuffCommitCertificate certificate) => WithCertificate(block, HotStuffCodec.EncodeCertificate(certificate));

    private static Block WithCertificate(Block block, byte[] certificate) => new(block.Header.WithCertificate(certificate), block.Transactions);
}
