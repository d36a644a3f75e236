using System.Text.RegularExpressions;
using Trellis.Core;
using Trellis.Ledger.Governance;
using Trellis.Sdk;
using Trellis.Sdk.Governance;
using Xunit.Abstractions;

namespace Trellis.Integration.Tests;

/// <summary>
/// Runtime membership on real processes: a 4-organisation HotStuff network from <c>trellis up</c>, then
/// <c>gov propose/vote</c>, <c>org add</c>, <c>node add</c> and <c>node remove</c>, checked through the SDK's
/// registry reads.
/// </summary>
public sealed partial class GovernanceCommandsTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(180);

    [Fact]
    public async Task OrgAddThenNodeAddThenNodeRemove_ChangeTheLedgerRegistry()
    {
        using ConsortiumNetwork network = await ConsortiumNetwork.UpAsync(output, "hotstuff", 4);
        using var client = new TrellisClient(network.Rpc[0], new TrellisClientOptions { ReceiptPollInterval = TimeSpan.FromMilliseconds(100) });
        var registry = new GovernanceClient(client);

        // Two of four members is short of the 2/3 threshold: the proposal stays open.
        string proposed = await RunAsync(0, "gov", "propose", "set-chain-config", "blockIntervalMs", "300", "--org", "org1", "--dir", network.Directory);
        ulong shortId = ulong.Parse(ProposalId().Match(proposed).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        string voted = await RunAsync(0, "gov", "vote", shortId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--org", "org2", "--dir", network.Directory);
        Assert.Contains("is open, yes 2 no 0 of 4", voted, StringComparison.Ordinal);
        Assert.Equal(ProposalStatus.Open, (await registry.GetProposalAsync(shortId)).Status);

        string orgAdded = await RunAsync(0, "org", "add", "org5", "--vote-all", "--dir", network.Directory);
        Assert.Contains("org5 is a member", orgAdded, StringComparison.Ordinal);
        MemberInfo org5 = (await registry.GetMemberAsync("org5"))!;
        Assert.Single(org5.Admins);

        var (code, nodeAdded, error) = await TrellisProcess.RunAsync(Timeout, "node", "add", "--org", "org5", "--role", "validator", "--timeout", "120", "--dir", network.Directory);
        output.WriteLine(nodeAdded + error);
        Assert.True(code == 0, error);
        Assert.Contains("org5-node1 is registered as validator", nodeAdded, StringComparison.Ordinal);
        Assert.Contains("started org5-node1 (pid", nodeAdded, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(network.Directory, "nodes", "org5-node1", "node.log")));
        NodeInfo node = Assert.Single(await registry.GetNodesAsync(), n => n.Name == "org5-node1");
        Assert.Equal(("org5", RegistryRole.Validator), (node.Org, node.Role));
        Assert.Contains("org5-node1", await File.ReadAllTextAsync(Path.Combine(network.Directory, "network.json")), StringComparison.Ordinal);

        string list = await RunAsync(0, "gov", "list", "--dir", network.Directory);
        Assert.Matches(@"add-member\s+executed", list);
        Assert.Matches(@"add-node\s+executed", list);
        Assert.Matches(@"set-chain-config\s+open", list);

        string removed = await RunAsync(0, "node", "remove", "org5-node1", "--dir", network.Directory);
        Assert.Contains("org5-node1 is removed", removed, StringComparison.Ordinal);
        Assert.Equal(RegistryRole.Removed, (await registry.GetNodeAsync(node.SigningAddress))!.Role);
        Assert.DoesNotContain("org5-node1", await File.ReadAllTextAsync(Path.Combine(network.Directory, "network.json")), StringComparison.Ordinal);
    }

    private async Task<string> RunAsync(int expected, params string[] arguments)
    {
        var (code, text, error) = await TrellisProcess.RunAsync(Timeout, arguments);
        output.WriteLine($"trellis {string.Join(' ', arguments)}\n{text}{error}");
        Assert.True(code == expected, $"exit {code}: {error}");
        return text;
    }

    [GeneratedRegex(@"proposal (\d+) ")]
    private static partial Regex ProposalId();
}
