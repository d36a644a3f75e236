using Google.Protobuf;
using Trellis.Consensus.HotStuff;
using Trellis.Consensus.HotStuff.Messages;
using Trellis.Consensus.HotStuff.Messages.Wire;
using Trellis.Core;

namespace Trellis.Consensus.Tests.HotStuff;

public class HotStuffCodecTests
{
    private readonly HotStuffFixture _f = new();
    private readonly HotStuffCodec _codec;

    public HotStuffCodecTests()
    {
        _codec = new HotStuffCodec(_f.Suite, _f.Validators.Count, maxMessageBytes: 1 << 20, maxBlocksPerResponse: 4);
    }

    [Fact]
    public void EveryMessage_RoundTrips_WithTheSameHashesAndSignatures()
    {
        var b1 = _f.Child(_f.Genesis, 1, 7);
        var b2 = _f.Child(b1, 2, 9);
        var tc = new TimeoutCertificate(1, [new TimeoutSignature(0, 0, _f.SignTimeout(0, 1, 0)), new TimeoutSignature(2, 0, _f.SignTimeout(2, 1, 0))]);
        HotStuffMessage[] messages =
        [
            new ProposalMessage(b2, tc, _f.SignProposal(2, b2)),
            new VoteMessage(2, b2.Hash, 3, _f.SignVote(3, 2, b2.Hash)),
            new TimeoutMessage(3, 1, _f.Certify(b2), tc, _f.SignTimeout(1, 3, 2)),
            new BlockRequestMessage(b2.Hash, 8),
            new BlockResponseMessage([b2, b1]),
        ];
        foreach (var message in messages)
        {
            Assert.True(_codec.TryDecode(HotStuffCodec.Encode(message), out var decoded, out var error), error);
            Assert.Equal(Describe(message), Describe(decoded!));
        }
    }

    [Fact]
    public void DecodedProposal_HasTheSenderBlockHash()
    {
        var b1 = _f.Child(_f.Genesis, 1, 7);
        Assert.True(_codec.TryDecode(HotStuffCodec.Encode(new ProposalMessage(b1, null, _f.SignProposal(1, b1))), out var decoded, out _));
        var block = ((ProposalMessage)decoded!).Block;
        Assert.Equal(b1.Hash, block.Hash);
        Assert.True(block.HasValidHash(_f.Suite));
        Assert.True(_f.Rules.ValidateQc(block.Justify).Passed);
    }

    [Fact]
    public void RandomBytes_NeverThrow()
    {
        var random = new Random(12345);
        for (int i = 0; i < 5000; i++)
        {
            var bytes = new byte[random.Next(0, 300)];
            random.NextBytes(bytes);
            if (!_codec.TryDecode(bytes, out _, out var error))
            {
                Assert.False(string.IsNullOrEmpty(error));
            }
        }
    }

    [Fact]
    public void EveryTruncation_OfAProposal_IsRefused()
    {
        var b1 = _f.Child(_f.Genesis, 1, 7);
        var bytes = HotStuffCodec.Encode(new ProposalMessage(b1, null, _f.SignProposal(1, b1)));
        for (int length = 0; length < bytes.Length; length++)
        {
            Assert.False(_codec.TryDecode(bytes.AsSpan(0, length), out _, out var error), $"prefix of {length} bytes decoded");
            Assert.NotNull(error);
        }
    }

    [Fact]
    public void HashOfWrongLength_IsRefused_NamingTheField()
    {
        var wire = new HotStuffEnvelope { Vote = new WireVote { View = 1, BlockHash = ByteString.CopyFrom(new byte[31]), Validator = 0, Signature = ByteString.CopyFrom(new byte[65]) } };
        Assert.False(_codec.TryDecode(wire.ToByteArray(), out _, out var error));
        Assert.Contains("vote block hash is 31 bytes", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidatorOutsideTheSet_IsRefused()
    {
        var wire = new HotStuffEnvelope { Vote = new WireVote { View = 1, BlockHash = ByteString.CopyFrom(new byte[32]), Validator = 4, Signature = ByteString.CopyFrom(new byte[65]) } };
        Assert.False(_codec.TryDecode(wire.ToByteArray(), out _, out var error));
        Assert.Contains("validator 4, outside [0, 4)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void HugeRepeatedSignatures_AreRefused()
    {
        var qc = new WireQc { View = 1, BlockHash = ByteString.CopyFrom(new byte[32]) };
        for (int i = 0; i < 10_000; i++)
        {
            qc.Signatures.Add(new WireSignature { Validator = 0, Signature = ByteString.CopyFrom(new byte[65]) });
        }

        var wire = new HotStuffEnvelope { Timeout = new WireTimeout { View = 2, Validator = 0, HighQc = qc, Signature = ByteString.CopyFrom(new byte[65]) } };
        Assert.False(_codec.TryDecode(wire.ToByteArray(), out _, out var error));
        Assert.Contains("10000 signatures but there are only 4 validators", error, StringComparison.Ordinal);
    }

    [Fact]
    public void OversizedSignatureAndMessage_AreRefused()
    {
        var wire = new HotStuffEnvelope { Vote = new WireVote { View = 1, BlockHash = ByteString.CopyFrom(new byte[32]), Validator = 0, Signature = ByteString.CopyFrom(new byte[257]) } };
        Assert.False(_codec.TryDecode(wire.ToByteArray(), out _, out var error));
        Assert.Contains("signature is 257 bytes", error, StringComparison.Ordinal);

        Assert.False(_codec.TryDecode(new byte[(1 << 20) + 1], out _, out error));
        Assert.Contains("exceeds the limit", error, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyEnvelope_ZeroView_NegativeHeight_AndLongResponses_AreRefused()
    {
        Assert.False(_codec.TryDecode([], out _, out var error));
        Assert.Contains("no body", error, StringComparison.Ordinal);

        var vote = new HotStuffEnvelope { Vote = new WireVote { View = 0, BlockHash = ByteString.CopyFrom(new byte[32]), Signature = ByteString.CopyFrom(new byte[65]) } };
        Assert.False(_codec.TryDecode(vote.ToByteArray(), out _, out error));
        Assert.Contains("view 0 must be at least 1", error, StringComparison.Ordinal);

        var block = new WireBlock { ParentHash = ByteString.CopyFrom(new byte[32]), View = 1, Height = -5, StateRoot = ByteString.CopyFrom(new byte[32]), Justify = new WireQc { BlockHash = ByteString.CopyFrom(new byte[32]) } };
        var proposal = new HotStuffEnvelope { Proposal = new WireProposal { Block = block, Signature = ByteString.CopyFrom(new byte[65]) } };
        Assert.False(_codec.TryDecode(proposal.ToByteArray(), out _, out error));
        Assert.Contains("height -5", error, StringComparison.Ordinal);

        var response = new HotStuffEnvelope { BlockResponse = new WireBlockResponse() };
        block.Height = 1;
        for (int i = 0; i < 5; i++)
        {
            response.BlockResponse.Blocks.Add(block);
        }

        Assert.False(_codec.TryDecode(response.ToByteArray(), out _, out error));
        Assert.Contains("5 blocks; at most 4", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Certificate_RoundTrips_AndMalformedOnesAreRefused()
    {
        var certificate = new HotStuffCommitCertificate(new Hash256(new byte[32]), 7, 6, [new ValidatorSignature(1, new byte[65]), new ValidatorSignature(3, new byte[65])]);
        var bytes = HotStuffCodec.EncodeCertificate(certificate);
        Assert.True(_codec.TryDecodeCertificate(bytes, out var decoded, out var error), error);
        Assert.Equal((certificate.ParentHash, 7L, 6L, 2), (decoded!.ParentHash, decoded.View, decoded.JustifyView, decoded.Signatures.Count));

        Assert.False(_codec.TryDecodeCertificate([], out _, out error));
        Assert.Contains("no consensus certificate", error, StringComparison.Ordinal);
        for (int length = 1; length < bytes.Length; length++)
        {
            // A cut at a field boundary is well-formed protobuf, but it loses signatures, which the QC check then counts.
            bool ok = _codec.TryDecodeCertificate(bytes.AsSpan(0, length), out var cut, out _);
            Assert.True(!ok || cut!.Signatures.Count < 2, $"prefix of {length} bytes decoded whole");
        }

        var wrongJustify = HotStuffCodec.EncodeCertificate(certificate with { JustifyView = 7 });
        Assert.False(_codec.TryDecodeCertificate(wrongJustify, out _, out error));
        Assert.Contains("justify view 7 must be in [0, 7)", error, StringComparison.Ordinal);
    }

    private static string Describe(HotStuffMessage message) => message switch
    {
        ProposalMessage p => $"P {p.Block.Hash} {p.Block.Justify.View} {Sigs(p.Block.Justify.Signatures)} tc={p.Tc?.View} {p.Tc?.Signatures.Count} {Convert.ToHexString(p.Signature)}",
        VoteMessage v => $"V {v.View} {v.BlockHash} {v.Validator} {Convert.ToHexString(v.Signature)}",
        TimeoutMessage t => $"T {t.View} {t.Validator} {t.HighQc.View} {t.HighQc.BlockHash} {Sigs(t.HighQc.Signatures)} {t.EntryTc?.View} {Convert.ToHexString(t.Signature)}",
        BlockRequestMessage r => $"R {r.Hash} {r.MaxCount}",
        BlockResponseMessage r => "B " + string.Join(",", r.Blocks.Select(b => b.Hash)),
        _ => message.ToString()!,
    };

    private static string Sigs(IReadOnlyList<ValidatorSignature> signatures) =>
        string.Join(",", signatures.Select(s => $"{s.Validator}:{Convert.ToHexString(s.Signature)}"));
}
