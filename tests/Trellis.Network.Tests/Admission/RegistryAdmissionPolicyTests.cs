using System.Net;
using Trellis.Core;
using Trellis.Network.Admission;
using Trellis.Network.Certificates;

namespace Trellis.Network.Tests.Admission;

public sealed class RegistryAdmissionPolicyTests : IDisposable
{
    private readonly CertificateAuthority _org1 = CertificateAuthority.Create("org1");
    private readonly CertificateAuthority _org2 = CertificateAuthority.Create("org2");
    private readonly CertificateAuthority _outsider = CertificateAuthority.Create("outsider");
    private readonly NodeCertificate _node1;
    private readonly NodeCertificate _node2;
    private readonly NodeCertificate _outsiderNode;

    public RegistryAdmissionPolicyTests()
    {
        _node1 = _org1.IssueNodeCertificate("node1", TestConsortium.AddressOf(1));
        _node2 = _org2.IssueNodeCertificate("node2", TestConsortium.AddressOf(2));
        _outsiderNode = _outsider.IssueNodeCertificate("node3", TestConsortium.AddressOf(3));
    }

    [Fact]
    public void TryAdmit_AdmitsARegisteredNodeWithItsPinnedCertificateInItsRole()
    {
        RegistryAdmissionPolicy policy = Policy(PeerRole.Observer);

        Assert.True(policy.TryAdmit(_org1.Fingerprint, _node1.Fingerprint, _node1.SigningAddress, out PeerRole role, out string? reason), reason);
        Assert.Equal(PeerRole.Validator, role);
        Assert.True(policy.TryAdmit(_org2.Fingerprint, _node2.Fingerprint, _node2.SigningAddress, out role, out reason), reason);
        Assert.Equal(PeerRole.Observer, role);
    }

    [Fact]
    public void TryAdmit_RefusesARemovedNode()
    {
        RegistryAdmissionPolicy policy = Policy(node2Role: null);

        Assert.False(policy.TryAdmit(_org2.Fingerprint, _node2.Fingerprint, _node2.SigningAddress, out _, out string? reason));
        Assert.Contains("removed", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TryAdmit_RefusesACertificateFromANonMemberCa()
    {
        RegistryAdmissionPolicy policy = Policy(PeerRole.Validator, extra: new RegisteredPeer(_outsiderNode.SigningAddress, "outsider", PeerRole.Validator, _outsiderNode.Fingerprint));

        Assert.False(policy.TryAdmit(_outsider.Fingerprint, _outsiderNode.Fingerprint, _outsiderNode.SigningAddress, out _, out string? reason));
        Assert.Contains("not the CA of a member", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TryAdmit_RefusesANodeOfAnotherOrganisationsCa()
    {
        RegistryAdmissionPolicy policy = Policy(PeerRole.Validator);

        // node2 is registered for org2; a certificate for its address issued by org1 is not admitted.
        using NodeCertificate forged = _org1.IssueNodeCertificate("node2", _node2.SigningAddress);
        Assert.False(policy.TryAdmit(_org1.Fingerprint, forged.Fingerprint, _node2.SigningAddress, out _, out string? reason));
        Assert.Contains("registered for \"org2\"", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TryAdmit_RefusesAnUnpinnedOrOtherCertificate()
    {
        var members = new[] { KeyValuePair.Create("org1", _org1.Fingerprint) };
        var policy = new RegistryAdmissionPolicy(members, [_org1.Certificate], [new RegisteredPeer(_node1.SigningAddress, "org1", PeerRole.Validator, null)]);
        Assert.False(policy.TryAdmit(_org1.Fingerprint, _node1.Fingerprint, _node1.SigningAddress, out _, out string? reason));
        Assert.Contains("no TLS certificate fingerprint", reason, StringComparison.Ordinal);

        using NodeCertificate other = _org1.IssueNodeCertificate("node1", _node1.SigningAddress);
        Assert.False(Policy(PeerRole.Validator).TryAdmit(_org1.Fingerprint, other.Fingerprint, _node1.SigningAddress, out _, out reason));
        Assert.Contains("pins", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_RejectsDuplicatesWithReasons()
    {
        var twice = new[] { KeyValuePair.Create("org1", _org1.Fingerprint), KeyValuePair.Create("orgX", _org1.Fingerprint) };
        Assert.Contains("same CA fingerprint", Assert.Throws<ArgumentException>(() => new RegistryAdmissionPolicy(twice, [], [])).Message, StringComparison.Ordinal);
        var node = new RegisteredPeer(_node1.SigningAddress, "org1", PeerRole.Validator, _node1.Fingerprint);
        Assert.Contains("registered twice", Assert.Throws<ArgumentException>(() => new RegistryAdmissionPolicy([], [], [node, node])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AuthoritiesFor_AddsAnOfferedRootOnlyWhenItsFingerprintIsAMembers()
    {
        // org2 was admitted by vote: only its fingerprint is on the ledger, its certificate is not known locally.
        var members = new[] { KeyValuePair.Create("org1", _org1.Fingerprint), KeyValuePair.Create("org2", _org2.Fingerprint) };
        var policy = new RegistryAdmissionPolicy(members, [_org1.Certificate, _outsider.Certificate], []);

        Assert.Equal([_org1.Fingerprint], policy.MemberAuthorities.Select(CertificateFingerprint.Of));
        Assert.Equal([_org1.Fingerprint, _org2.Fingerprint], policy.AuthoritiesFor([_org2.Certificate]).Select(CertificateFingerprint.Of));
        Assert.Equal([_org1.Fingerprint], policy.AuthoritiesFor([_outsider.Certificate]).Select(CertificateFingerprint.Of));

        // A node certificate is never an anchor, even one whose fingerprint were listed.
        Assert.Equal([_org1.Fingerprint], policy.AuthoritiesFor([_node1.Certificate]).Select(CertificateFingerprint.Of));
    }

    [Fact]
    public async Task Handshake_AdmitsARegisteredNodeOfAMember_AndRefusesANonMemberCa()
    {
        var members = new[] { KeyValuePair.Create("org1", _org1.Fingerprint), KeyValuePair.Create("org2", _org2.Fingerprint) };
        RegisteredPeer[] nodes =
        [
            new(_node1.SigningAddress, "org1", PeerRole.Validator, _node1.Fingerprint),
            new(_node2.SigningAddress, "org2", PeerRole.Validator, _node2.Fingerprint),
            new(_outsiderNode.SigningAddress, "org1", PeerRole.Validator, _outsiderNode.Fingerprint),
        ];

        var policy1 = new RegistryAdmissionPolicy(members, [_org1.Certificate, _org2.Certificate], nodes);
        var policy2 = new RegistryAdmissionPolicy(members, [_org1.Certificate, _org2.Certificate], nodes);
        await using var consortium = new TestConsortium(1, 0);
        var logger = new TestLogger<NetworkHost>();
        NetworkHost host1 = await consortium.StartAsync(_node1, TestConsortium.Options(), logger, policy1);
        NetworkHost host2 = await consortium.StartAsync(_node2, TestConsortium.Options([host1.LocalEndpoint!]), null, policy2);
        await Eventually.TrueAsync(() => host1.Peers.Count == 1 && host2.Peers.Count == 1, "node2 of org2 connected");

        NetworkHost outsider = await consortium.StartAsync(_outsiderNode, TestConsortium.Options([host1.LocalEndpoint!]), null, policy2);
        await Eventually.TrueAsync(() => logger.Contains("not valid under the member CAs"), "outsider refused with a reason");
        Assert.Empty(outsider.Peers);
        Assert.Single(host1.Peers);
    }

    public void Dispose()
    {
        _node1.Dispose();
        _node2.Dispose();
        _outsiderNode.Dispose();
        _org1.Dispose();
        _org2.Dispose();
        _outsider.Dispose();
    }

    private RegistryAdmissionPolicy Policy(PeerRole? node2Role, RegisteredPeer? extra = null)
    {
        var members = new[] { KeyValuePair.Create("org1", _org1.Fingerprint), KeyValuePair.Create("org2", _org2.Fingerprint) };
        var nodes = new List<RegisteredPeer>
        {
            new(_node1.SigningAddress, "org1", PeerRole.Validator, _node1.Fingerprint),
            new(_node2.SigningAddress, "org2", node2Role, _node2.Fingerprint),
        };
        if (extra is not null)
        {
            nodes.Add(extra);
        }

        return new RegistryAdmissionPolicy(members, [_org1.Certificate, _org2.Certificate], nodes);
    }
}
