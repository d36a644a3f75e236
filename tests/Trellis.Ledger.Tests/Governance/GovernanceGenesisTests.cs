using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Trellis.Core;
using Trellis.Ledger.Blocks;
using Trellis.Ledger.Genesis;
using Trellis.Ledger.Governance;
using Trellis.Ledger.Tests.Genesis;
using Trellis.State;
using Trellis.State.Storage;

namespace Trellis.Ledger.Tests.Governance;

/// <summary>The genesis fields governance adds (members[].admins, permissions) and the state genesis seeds from them.</summary>
public sealed class GovernanceGenesisTests
{
    private const string AdminA = "0x00000000000000000000000000000000000000aa";
    private const string AdminB = "0x00000000000000000000000000000000000000bb";
    private const string Account = "0x00000000000000000000000000000000000000cc";

    private static JsonObject WithGovernance()
    {
        JsonObject json = ChainConfigTests.Valid();
        json["members"]![0]!["admins"] = new JsonArray(AdminA);
        json["members"]![1]!["admins"] = new JsonArray(AdminB);
        json["permissions"] = JsonNode.Parse($$"""{ "mode": "permissioned", "accounts": { "{{Account}}": ["transact", "admin"] } }""");
        return json;
    }

    [Fact]
    public void Parse_ReadsAdminsAndPermissionsAndWritesThemBack()
    {
        ChainConfig config = ChainConfig.Parse(WithGovernance().ToJsonString());

        Assert.Equal([Address.Parse(AdminA)], config.Members[0].Admins);
        Assert.True(config.Permissions.Permissioned);
        Assert.Equal(AccountRights.Transact | AccountRights.Admin, config.Permissions.Accounts[Address.Parse(Account)]);
        ChainConfig again = ChainConfig.Parse(config.ToJson());
        Assert.Equal([Address.Parse(AdminB)], again.Members[1].Admins);
        Assert.True(again.Permissions.Permissioned);
        Assert.Equal(config.Permissions.Accounts, again.Permissions.Accounts);
    }

    [Fact]
    public void Parse_WithoutTheNewFieldsIsOpenWithNoAdmins()
    {
        ChainConfig config = ChainConfig.Parse(ChainConfigTests.ValidJson);

        Assert.False(config.Permissions.Permissioned);
        Assert.Empty(config.Permissions.Accounts);
        Assert.All(config.Members, m => Assert.Empty(m.Admins));
        Assert.DoesNotContain("permissions", config.ToJson(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("members[0].admins", "\"0xaa\"", "members[0].admins: must be an array")]
    [InlineData("members[0].admins", "[\"0x12\"]", "members[0].admins[0]: '0x12' is not a 0x-prefixed 20-byte hex address")]
    [InlineData("members[0].admins", "[\"0x0000000000000000000000000000000000000000\"]", "members[0].admins[0]: the zero address cannot be an admin account")]
    [InlineData("members[0].admins", "[\"" + AdminB + "\"]", "is already an admin account of member 'bank-a'")]
    [InlineData("members[0].admins", "[\"0x01\",\"0x02\",\"0x03\",\"0x04\",\"0x05\",\"0x06\",\"0x07\",\"0x08\",\"0x09\"]", "members[0].admins: 9 admin accounts; the limit is 8")]
    [InlineData("permissions", "{\"mode\":\"closed\"}", "permissions.mode: 'closed' is not one of open, permissioned")]
    [InlineData("permissions", "{\"mode\":\"open\",\"extra\":1}", "permissions.extra: unknown field")]
    [InlineData("permissions", "{\"accounts\":{\"" + Account + "\":[\"mint\"]}}", "is not one of transact, deploy, admin")]
    [InlineData("permissions", "{\"accounts\":{\"" + Account + "\":[\"deploy\",\"deploy\"]}}", "duplicate right 'deploy'")]
    [InlineData("permissions", "{\"accounts\":{\"" + Account + "\":[]}}", "lists no rights")]
    [InlineData("permissions", "{\"accounts\":[]}", "permissions.accounts: must be an object")]
    [InlineData("alloc", "{\"0x0000000000000000000000000000000000001001\":{\"balance\":\"1\"}}", "is reserved for the governance system contracts")]
    public void Parse_RejectsMalformedGovernanceFields(string field, string value, string message)
    {
        JsonObject json = WithGovernance();
        JsonNode node = JsonNode.Parse(value)!;
        if (field == "members[0].admins")
        {
            json["members"]![0]!["admins"] = node;
        }
        else
        {
            json[field] = node;
        }

        var error = Assert.Throws<ConfigException>(() => ChainConfig.Parse(json.ToJsonString()));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Genesis_SeedsTheGovernanceState()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 ca = new CertificateRequest("CN=bank-a CA", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddYears(100));
        JsonObject json = WithGovernance();
        json["members"]![0]!["caCertificate"] = ca.ExportCertificatePem();
        ChainConfig config = ChainConfig.Parse(json.ToJsonString());
        using var store = new MemoryStore();

        Block genesis = GenesisBlock.Create(config, store);

        var state = new WorldState(store, config.Suite, genesis.Header.StateRoot);
        var governance = new GovernanceState(state);
        foreach (Address address in GovernanceAddresses.All)
        {
            Assert.Equal(new byte[] { 0xfe }, state.GetCode(address).ToArray());
            Assert.Equal(1UL, state.GetNonce(address));
        }

        IReadOnlyList<GovernanceMember> members = governance.Members;
        Assert.Equal(["bank-a", "bank-b"], members.Select(m => m.Name));
        Assert.Equal(new Hash256(ca.GetCertHash(HashAlgorithmName.SHA256)), members[0].CaFingerprint);
        Assert.Equal(Hash256.Zero, members[1].CaFingerprint);
        Assert.All(members, m => Assert.Equal(1UL, m.Weight));
        Assert.Equal("bank-b", governance.FindMemberByAdmin(Address.Parse(AdminB))!.Name);
        Assert.Equal((2UL, 3UL), governance.Threshold);
        Assert.Equal(2UL, governance.TotalWeight);

        RegisteredNode a1 = governance.FindNode(Address.Parse("0x00000000000000000000000000000000000000a1"))!;
        Assert.Equal(("a1", "bank-a", RegistryRole.Validator, 0UL), (a1.Name, a1.Org, a1.Role, a1.ActivationHeight));
        Assert.Equal(Hash256.Parse("0xabcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789"), a1.TlsFingerprint);
        Assert.Equal(RegistryRole.Observer, governance.RoleAt(Address.Parse("0x00000000000000000000000000000000000000b1"), 0));
        Assert.Equal(["a1"], governance.ValidatorsAt(1).Select(n => n.Name));
        Assert.True(governance.IsAdmitted(Address.Parse("0x00000000000000000000000000000000000000b1"), 0));

        Assert.True(governance.IsPermissioned);
        Assert.True(governance.CanTransact(Address.Parse(Account)));
        Assert.True(governance.CanDeploy(Address.Parse(Account)));
        Assert.True(governance.CanTransact(Address.Parse(AdminA)));
        Assert.False(governance.CanDeploy(Address.Parse(AdminA)));
        Assert.False(governance.CanTransact(Address.Parse("0x00000000000000000000000000000000000000dd")));
        Assert.Equal(0UL, governance.ProposalCount);
        Assert.Null(governance.Setting(ChainSetting.BlockGasLimit));
    }

    [Fact]
    public void GovernanceState_AtAStateRootReadsTheSameAsOverTheState()
    {
        ChainConfig config = ChainConfig.Parse(WithGovernance().ToJsonString());
        using var store = new MemoryStore();
        Block genesis = GenesisBlock.Create(config, store);

        GovernanceState state = GovernanceState.At(store, config.Suite, genesis.Header.StateRoot);

        Assert.Equal(2, state.Members.Count);
        Assert.Equal(2, state.Nodes.Count);
    }
}
