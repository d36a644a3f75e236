using System.Security.Cryptography;
using System.Text;
using Trellis.Core;
using Trellis.Ledger.Blocks;
using Trellis.Ledger.Execution;
using Trellis.Ledger.Governance;
using Trellis.Sdk.Abi;

namespace Trellis.Ledger.Tests.Governance;

/// <summary>proposeRevokeCertificate end to end: voted in signed transactions, stored in the node registry, read through the C# reader and INodeRegistry views.</summary>
public sealed class RevocationTests
{
    // SHA-256 of a byte string (computed by the framework, not by the code under test), standing in for a certificate's DER.
    private static readonly Hash256 Fingerprint = new(SHA256.HashData(Encoding.ASCII.GetBytes("a certificate's DER")));

    private static bool IsRevokedView(GovernanceChain chain, Hash256 fingerprint) =>
        (bool)chain.View(GovernanceAddresses.NodeRegistry, "isRevoked", fingerprint)[0]!;

    [Fact]
    public void RevokeCertificate_BelowTheThresholdNeverExecutes()
    {
        using var chain = new GovernanceChain();

        ExecutedTransaction proposed = chain.Propose(0, "proposeRevokeCertificate", Fingerprint, "key leaked");
        Assert.True(proposed.Receipt.Success, GovernanceChain.RevertMessage(proposed));
        ulong id = chain.State.ProposalCount;
        Assert.True(chain.Vote(1, id).Receipt.Success);
        chain.AdvanceTo(chain.Height + 5);

        // 2 of 3 is not more than 2/3.
        Assert.Equal(ProposalStatus.Open, chain.State.GetProposal(id, chain.Height)!.Status);
        Assert.False(chain.State.IsRevoked(Fingerprint));
        Assert.False(chain.State.IsRevoked(Fingerprint, ulong.MaxValue));
        Assert.Empty(chain.State.RevokedCertificates);
        Assert.False(IsRevokedView(chain, Fingerprint));
        Assert.Equal(new UInt256(0), chain.View(GovernanceAddresses.NodeRegistry, "revokedCount")[0]);
    }

    [Fact]
    public void RevokeCertificate_IsRevokedFromTwoBlocksAfterExecutionAndNotBefore()
    {
        using var chain = new GovernanceChain();

        ulong id = chain.Pass("proposeRevokeCertificate", Fingerprint, "key leaked");
        ulong executed = chain.Height;

        GovernanceState state = chain.State;
        RevokedCertificate revoked = Assert.Single(state.RevokedCertificates);
        Assert.Equal(new RevokedCertificate(Fingerprint, "key leaked", id, executed + 2), revoked);
        Assert.Equal(revoked, state.FindRevocation(Fingerprint));
        Assert.True(state.IsRevoked(Fingerprint));
        Assert.False(state.IsRevoked(Fingerprint, executed));
        Assert.False(state.IsRevoked(Fingerprint, executed + 1));
        Assert.True(state.IsRevoked(Fingerprint, executed + 2));
        Assert.True(state.IsRevoked(Fingerprint, ulong.MaxValue));

        // Another fingerprint with the same first 20 bytes is not revoked.
        byte[] near = Fingerprint.ToArray();
        near[31] ^= 1;
        Assert.False(state.IsRevoked(new Hash256(near), ulong.MaxValue));
        Assert.Null(state.FindRevocation(new Hash256(near)));

        // eth_call runs at head + 1: executed + 1 first, then executed + 2.
        Assert.False(IsRevokedView(chain, Fingerprint));
        chain.AdvanceTo(executed + 1);
        Assert.True(IsRevokedView(chain, Fingerprint));
        Assert.False(IsRevokedView(chain, new Hash256(near)));

        Assert.Equal(new UInt256(1), chain.View(GovernanceAddresses.NodeRegistry, "revokedCount")[0]);
        object?[] at = chain.View(GovernanceAddresses.NodeRegistry, "revokedAt", 0UL);
        Assert.Equal(Fingerprint.ToArray(), at[0]);
        Assert.Equal("key leaked", at[1]);
        Assert.Equal(new UInt256(id), at[2]);
        Assert.Equal(new UInt256(executed + 2), at[3]);
        (bool success, byte[] output) = chain.Call(GovernanceAddresses.NodeRegistry, GovernanceChain.Encode(GovernanceChain.RegistryAbi, "revokedAt", 1UL));
        Assert.False(success);
        Assert.Equal("revocation index 1 is out of range (1 revoked certificates)", RevertReason.Decode(output).Message);
    }

    [Fact]
    public void RevokeCertificate_EmitsCertificateRevokedWithTheFingerprintIndexed()
    {
        using var chain = new GovernanceChain();
        ExecutedTransaction proposed = chain.Propose(0, "proposeRevokeCertificate", Fingerprint, string.Empty);
        ulong id = chain.State.ProposalCount;
        chain.Vote(1, id);

        ExecutedTransaction last = chain.Vote(2, id);

        Assert.True(proposed.Receipt.Success);
        DecodedEvent revoked = Assert.Single(GovernanceChain.Events(last), e => e.Event.Name == "CertificateRevoked");
        Assert.Equal(id, revoked.Value<ulong>("proposalId"));
        Assert.Equal(Fingerprint.ToArray(), revoked.Get<byte[]>("fingerprint"));
        Assert.Equal(string.Empty, revoked.Get<string>("reason"));
        Assert.Equal(chain.Height + 2, revoked.Value<ulong>("effectiveHeight"));
        Log log = Assert.Single(last.Receipt.Logs, l => l.Address == GovernanceAddresses.NodeRegistry);
        Assert.Equal(Fingerprint, log.Topics[2]);
        Assert.Equal(Keccak256.Hash(Encoding.ASCII.GetBytes("CertificateRevoked(uint64,bytes32,string,uint64)")), log.Topics[0]);
    }

    [Fact]
    public void RevokeCertificate_RefusesADuplicateWhenProposedAndFailsOneThatPassesLater()
    {
        using var chain = new GovernanceChain();
        ExecutedTransaction first = chain.Propose(0, "proposeRevokeCertificate", Fingerprint, "one");
        ExecutedTransaction second = chain.Propose(1, "proposeRevokeCertificate", Fingerprint, "two");
        Assert.True(first.Receipt.Success && second.Receipt.Success);
        ulong firstId = chain.State.ProposalCount - 1;
        ulong secondId = chain.State.ProposalCount;
        Assert.True(chain.Vote(1, firstId).Receipt.Success);
        Assert.True(chain.Vote(2, firstId).Receipt.Success);
        ulong executed = chain.Height;

        ExecutedTransaction again = chain.Propose(2, "proposeRevokeCertificate", Fingerprint, "three");
        Assert.False(again.Receipt.Success);
        Assert.Equal($"certificate {Fingerprint} is already revoked (proposal {firstId}, effective at height {executed + 2})", GovernanceChain.RevertMessage(again));

        Assert.True(chain.Vote(0, secondId).Receipt.Success);
        ExecutedTransaction late = chain.Vote(2, secondId);
        Assert.True(late.Receipt.Success);
        Assert.Equal(ProposalStatus.Failed, chain.State.GetProposal(secondId, chain.Height)!.Status);
        DecodedEvent failed = Assert.Single(GovernanceChain.Events(late), e => e.Event.Name == "ProposalFailed");
        Assert.StartsWith($"certificate {Fingerprint} is already revoked", failed.Get<string>("reason"), StringComparison.Ordinal);
        Assert.Equal("one", Assert.Single(chain.State.RevokedCertificates).Reason);
    }

    [Fact]
    public void RevokeCertificate_RefusesAZeroFingerprintALongReasonAndMalformedCalldata()
    {
        using var chain = new GovernanceChain();

        ExecutedTransaction zero = chain.Propose(0, "proposeRevokeCertificate", Hash256.Zero, "x");
        ExecutedTransaction longReason = chain.Propose(0, "proposeRevokeCertificate", Fingerprint, new string('r', GovernanceRules.MaxRevocationReasonBytes + 1));
        byte[] selector = GovernanceChain.Encode(GovernanceChain.GovernanceAbi, "proposeRevokeCertificate", Fingerprint, "x")[..4];
        ExecutedTransaction truncated = chain.Send(chain.Admins[0], GovernanceAddresses.Governance, [.. selector, .. Fingerprint.ToArray()[..16]]);

        Assert.Equal("certificate fingerprint is zero; give the SHA-256 of the certificate's DER", GovernanceChain.RevertMessage(zero));
        Assert.Equal($"argument reason: length {GovernanceRules.MaxRevocationReasonBytes + 1} exceeds the limit {GovernanceRules.MaxRevocationReasonBytes}", GovernanceChain.RevertMessage(longReason));
        Assert.Equal("argument fingerprint: calldata too short (16 bytes of arguments, need 32)", GovernanceChain.RevertMessage(truncated));
        Assert.Equal(0UL, chain.State.ProposalCount);
        Assert.Empty(chain.State.RevokedCertificates);
    }

    [Fact]
    public void RevokeCertificate_AReasonOfExactlyTheLimitIsAccepted()
    {
        using var chain = new GovernanceChain();
        string reason = new('é', GovernanceRules.MaxRevocationReasonBytes / 2);

        chain.Pass("proposeRevokeCertificate", Fingerprint, reason);

        Assert.Equal(reason, chain.State.FindRevocation(Fingerprint)!.Reason);
    }
}
