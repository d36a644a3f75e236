using Trellis.Network.Admission;
using Trellis.Network.Certificates;

namespace Trellis.Network.Tests.Admission;

public sealed class GenesisAdmissionPolicyTests
{
    [Fact]
    public async Task TryAdmit_AcceptsListedPairsWithTheirRole()
    {
        await using var consortium = new TestConsortium(organisations: 2, nodes: 3, observers: 1);
        Assert.True(consortium.Policy.TryAdmit(consortium.Authorities[0].Fingerprint, consortium.Nodes[0].Fingerprint, out PeerRole role, out _));
        Assert.Equal(PeerRole.Validator, role);
        Assert.True(consortium.Policy.TryAdmit(consortium.Authorities[0].Fingerprint, consortium.Nodes[2].Fingerprint, out role, out _));
        Assert.Equal(PeerRole.Observer, role);
    }

    [Fact]
    public async Task TryAdmit_RefusesUnknownCaUnknownNodeAndTheWrongCa()
    {
        await using var consortium = new TestConsortium(organisations: 2, nodes: 2);
        using CertificateAuthority outsider = CertificateAuthority.Create("outsider");

        Assert.False(consortium.Policy.TryAdmit(outsider.Fingerprint, consortium.Nodes[0].Fingerprint, out _, out string? reason));
        Assert.Contains("is not a member", reason, StringComparison.Ordinal);
        Assert.False(consortium.Policy.TryAdmit(consortium.Authorities[0].Fingerprint, outsider.Fingerprint, out _, out reason));
        Assert.Contains("is not in the admitted set", reason, StringComparison.Ordinal);
        Assert.False(consortium.Policy.TryAdmit(consortium.Authorities[1].Fingerprint, consortium.Nodes[0].Fingerprint, out _, out reason));
        Assert.Contains("is admitted under CA", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Constructor_RefusesANodeUnderANonMemberCaAndDuplicates()
    {
        await using var consortium = new TestConsortium(organisations: 1, nodes: 1);
        using CertificateAuthority outsider = CertificateAuthority.Create("outsider");
        var stray = new AdmittedNode(outsider.Fingerprint, consortium.Nodes[0].Fingerprint, PeerRole.Validator);
        Assert.Throws<ArgumentException>(() => new GenesisAdmissionPolicy([consortium.Authorities[0].Certificate], [stray]));
        var node = new AdmittedNode(consortium.Authorities[0].Fingerprint, consortium.Nodes[0].Fingerprint, PeerRole.Validator);
        Assert.Throws<ArgumentException>(() => new GenesisAdmissionPolicy([consortium.Authorities[0].Certificate], [node, node]));
    }
}
