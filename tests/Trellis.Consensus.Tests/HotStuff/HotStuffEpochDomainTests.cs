using System.Buffers.Binary;
using System.Text;
using Google.Protobuf;
using Trellis.Consensus.HotStuff;
using Trellis.Consensus.HotStuff.Messages;
using Trellis.Consensus.HotStuff.Messages.Wire;
using Trellis.Core;

namespace Trellis.Consensus.Tests.HotStuff;

/// <summary>Epoch signing domains and the epoch fields of the wire format.</summary>
public sealed class HotStuffEpochDomainTests
{
    private readonly HotStuffFixture _f = new();

    [Fact]
    public void EpochDomain_IsTheGenesisHashForEpochZeroAndTheTaggedHashOfGenesisAndHeightAfter()
    {
        Assert.Equal(_f.Genesis.Hash, SigningMessages.EpochDomain(_f.Suite, _f.Genesis.Hash, 0));

        // Keccak-256("trellis/hotstuff/epoch/v1" ‖ genesis ‖ uint64 big-endian 7), assembled here from the definition.
        var message = new List<byte>(Encoding.ASCII.GetBytes("trellis/hotstuff/epoch/v1"));
        message.AddRange(_f.Genesis.Hash.Bytes.ToArray());
        var height = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(height, 7);
        message.AddRange(height);
        Assert.Equal(_f.Suite.Hash([.. message]), SigningMessages.EpochDomain(_f.Suite, _f.Genesis.Hash, 7));
        Assert.NotEqual(SigningMessages.EpochDomain(_f.Suite, _f.Genesis.Hash, 7), SigningMessages.EpochDomain(_f.Suite, _f.Genesis.Hash, 8));
    }

    [Fact]
    public void SafetyRules_OfOneEpochRefuseVotesTimeoutsAndQcsSignedInAnother()
    {
        var domain5 = SigningMessages.EpochDomain(_f.Suite, _f.Genesis.Hash, 5);
        var domain9 = SigningMessages.EpochDomain(_f.Suite, _f.Genesis.Hash, 9);
        var rules5 = new SafetyRules(_f.Suite, _f.Validators, _f.Genesis, domain5);
        var rules9 = new SafetyRules(_f.Suite, _f.Validators, _f.Genesis, domain9);
        var hash = new Hash256(Enumerable.Repeat((byte)0xab, 32).ToArray());

        var signatures = Enumerable.Range(0, 3).Select(i => new ValidatorSignature(i, _f.Suite.Sign(_f.Keys[i], SigningMessages.Vote(domain5, 4, hash)))).ToList();
        var qc = new QuorumCertificate(4, hash, signatures);
        Assert.True(rules5.ValidateQc(qc).Passed);
        Assert.False(rules9.ValidateQc(qc).Passed);
        Assert.False(_f.Rules.ValidateQc(qc).Passed);
        Assert.True(rules5.ValidateQc(_f.GenesisQc).Passed);

        byte[] timeout = _f.Suite.Sign(_f.Keys[1], SigningMessages.Timeout(domain5, 6, 4));
        Assert.True(rules5.VerifyTimeout(1, 6, 4, timeout));
        Assert.False(rules9.VerifyTimeout(1, 6, 4, timeout));
        Assert.False(_f.Rules.VerifyVote(0, 4, hash, signatures[0].Signature));
    }

    [Fact]
    public void Codec_CarriesTheSendersEpochAndReadsItEvenWhenTheBodyIsRefused()
    {
        var codec = new HotStuffCodec(_f.Suite, 4);
        var vote = new VoteMessage(3, new Hash256(new byte[32]), 2, new byte[65]);
        Assert.True(codec.TryDecode(HotStuffCodec.Encode(vote, 42), out var decoded, out ulong epoch, out var error), error);
        Assert.Equal((42UL, 3L), (epoch, ((VoteMessage)decoded!).View));
        Assert.True(codec.TryDecode(HotStuffCodec.Encode(vote), out _, out epoch, out _));
        Assert.Equal(0UL, epoch);

        // Validator 6 is outside a set of four (it belongs to a larger next set): refused, but the epoch is known.
        var foreign = new VoteMessage(3, new Hash256(new byte[32]), 6, new byte[65]);
        Assert.False(codec.TryDecode(HotStuffCodec.Encode(foreign, 43), out _, out epoch, out error));
        Assert.Equal(43UL, epoch);
        Assert.Contains("6", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Certificate_EpochRoundTrips_AndTheGenesisEpochEncodesAsBeforeEpochsExisted()
    {
        var codec = new HotStuffCodec(_f.Suite, 4);
        var signatures = new[] { new ValidatorSignature(1, new byte[65]) };
        var certificate = new HotStuffCommitCertificate(new Hash256(new byte[32]), 7, 6, signatures, 12);
        Assert.True(codec.TryDecodeCertificate(HotStuffCodec.EncodeCertificate(certificate), out var decoded, out var error), error);
        Assert.Equal(12UL, decoded!.Epoch);

        // Version 1 without the epoch field, written field by field: it is the genesis epoch.
        var legacy = new CommitCertificate { Version = 1, ParentHash = ByteString.CopyFrom(new byte[32]), View = 7, JustifyView = 6 };
        legacy.Signatures.Add(new WireSignature { Validator = 1, Signature = ByteString.CopyFrom(new byte[65]) });
        Assert.Equal(legacy.ToByteArray(), HotStuffCodec.EncodeCertificate(certificate with { Epoch = 0 }));
        Assert.True(codec.TryDecodeCertificate(legacy.ToByteArray(), out decoded, out error), error);
        Assert.Equal(0UL, decoded!.Epoch);
    }
}
