using System.Text;
using Trellis.Consensus.HotStuff;
using Trellis.Core;
using Trellis.Crypto;

namespace Trellis.Consensus.Tests.HotStuff;

public class HotStuffBlockTests
{
    private readonly HotStuffFixture _f = new();

    [Fact]
    public void Hash_IsTheSuiteHashOfTheDocumentedLayout()
    {
        var b1 = _f.Child(_f.Genesis, 3, payloadTag: 0xab);
        var expected = new List<byte>(Encoding.ASCII.GetBytes("trellis/hotstuff/block/v1"));
        expected.AddRange(_f.Genesis.Hash.Bytes.ToArray());
        expected.AddRange(new byte[] { 0, 0, 0, 0, 0, 0, 0, 3 });
        expected.AddRange(new byte[] { 0, 0, 0, 0, 0, 0, 0, 1 });
        expected.AddRange(b1.StateRoot.Bytes.ToArray());
        expected.AddRange(new byte[8]);
        expected.AddRange(_f.Genesis.Hash.Bytes.ToArray());
        expected.AddRange(new byte[] { 0, 0, 0, 1, 0xab });
        Assert.Equal(Keccak256.Hash(expected.ToArray()), b1.Hash);

        var national = new HotStuffFixture(4, CryptoSuites.National);
        var n1 = national.Child(national.Genesis, 1);
        Assert.Equal(CryptoSuites.National.Hash(Layout(n1)), n1.Hash);
    }

    [Fact]
    public void Hash_ChangesWithEveryField()
    {
        var parent = _f.Child(_f.Genesis, 1);
        var qc = _f.Certify(parent);
        var baseline = HotStuffBlock.FromParts(_f.Suite, parent.Hash, 2, 2, [1], Hash256.Zero, qc);
        var variants = new[]
        {
            HotStuffBlock.FromParts(_f.Suite, _f.Genesis.Hash, 2, 2, [1], Hash256.Zero, qc),
            HotStuffBlock.FromParts(_f.Suite, parent.Hash, 3, 2, [1], Hash256.Zero, qc),
            HotStuffBlock.FromParts(_f.Suite, parent.Hash, 2, 3, [1], Hash256.Zero, qc),
            HotStuffBlock.FromParts(_f.Suite, parent.Hash, 2, 2, [2], Hash256.Zero, qc),
            HotStuffBlock.FromParts(_f.Suite, parent.Hash, 2, 2, [1], parent.Hash, qc),
            HotStuffBlock.FromParts(_f.Suite, parent.Hash, 2, 2, [1], Hash256.Zero, new QuorumCertificate(5, parent.Hash, qc.Signatures)),
        };
        Assert.All(variants, v => Assert.NotEqual(baseline.Hash, v.Hash));
        Assert.Equal(variants.Length, variants.Select(v => v.Hash).Distinct().Count());
        // The QC's signatures are not hashed: a different quorum certifies the same parent.
        Assert.Equal(baseline.Hash, HotStuffBlock.FromParts(_f.Suite, parent.Hash, 2, 2, [1], Hash256.Zero, _f.Certify(parent, 1, 2, 3)).Hash);
    }

    [Fact]
    public void Hash_OfLargePayloadsFollowedBySmallOnes_IsStillTheDocumentedLayout()
    {
        // Past the large-object threshold the hash input comes from a pool; leftovers of a larger earlier input must
        // never reach a later, smaller one.
        var random = new Random(11);
        foreach (int length in new[] { 300_000, 90_000, 7, 0, 150_001 })
        {
            var payload = new byte[length];
            random.NextBytes(payload);
            var block = HotStuffBlock.FromParts(_f.Suite, _f.Genesis.Hash, 1, 1, payload, Hash256.Zero, _f.GenesisQc);
            Assert.Equal(Keccak256.Hash(Layout(block)), block.Hash);
        }
    }

    [Fact]
    public void HasValidHash_IsTrueForTheSuiteThatHashedTheBlockAndFalseForAnother()
    {
        var b1 = _f.Child(_f.Genesis, 1, payloadTag: 9);
        Assert.True(b1.HasValidHash(CryptoSuites.Standard));
        Assert.False(b1.HasValidHash(CryptoSuites.National));
        Assert.True(_f.Genesis.HasValidHash(CryptoSuites.Standard));
        Assert.Throws<ArgumentNullException>(() => b1.HasValidHash(null!));
    }

    [Fact]
    public void Create_RefusesAQcOfAnotherBlockOrANonIncreasingView()
    {
        var b1 = _f.Child(_f.Genesis, 1);
        Assert.Contains("certifies", Assert.Throws<ArgumentException>(() => HotStuffBlock.Create(_f.Suite, b1, 2, [], Hash256.Zero, _f.GenesisQc)).Message);
        Assert.Contains("must exceed", Assert.Throws<ArgumentException>(() => HotStuffBlock.Create(_f.Suite, b1, 1, [], Hash256.Zero, _f.Certify(b1))).Message);
    }

    [Fact]
    public void BlockTree_RefusesStructurallyBrokenChildren()
    {
        var b1 = _f.Child(_f.Genesis, 1);
        var tree = _f.Tree(b1);
        var wrongHeight = HotStuffBlock.FromParts(_f.Suite, b1.Hash, 2, 5, [], Hash256.Zero, _f.Certify(b1));
        Assert.Contains("height 5", tree.TryAdd(wrongHeight).Reason);
        var justifiesOther = HotStuffBlock.FromParts(_f.Suite, b1.Hash, 2, 2, [], Hash256.Zero, _f.GenesisQc);
        Assert.Contains("not its parent", tree.TryAdd(justifiesOther).Reason);
        var orphan = _f.Child(_f.Child(b1, 2), 3);
        Assert.Contains("unknown parent", tree.TryAdd(orphan).Reason);
        Assert.Equal(2, tree.Count);
    }

    private static byte[] Layout(HotStuffBlock block)
    {
        var bytes = new List<byte>(Encoding.ASCII.GetBytes("trellis/hotstuff/block/v1"));
        bytes.AddRange(block.ParentHash.Bytes.ToArray());
        bytes.AddRange(BitConverter.GetBytes(block.View).Reverse());
        bytes.AddRange(BitConverter.GetBytes(block.Height).Reverse());
        bytes.AddRange(block.StateRoot.Bytes.ToArray());
        bytes.AddRange(BitConverter.GetBytes(block.Justify.View).Reverse());
        bytes.AddRange(block.Justify.BlockHash.Bytes.ToArray());
        bytes.AddRange(BitConverter.GetBytes(block.Payload.Length).Reverse());
        bytes.AddRange(block.Payload.ToArray());
        return [.. bytes];
    }
}
