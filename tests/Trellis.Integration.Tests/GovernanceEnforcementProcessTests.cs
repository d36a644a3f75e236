using System.Text.Json;
using Trellis.Core;
using Trellis.Ledger.Governance;
using Trellis.Sdk;
using Trellis.Sdk.Governance;
using Xunit.Abstractions;

namespace Trellis.Integration.Tests;

/// <summary>
/// Issue 6's enforcement on real processes from <c>trellis up</c>: a permissioned chain refuses an account without
/// the right with a clear error while a granted one transacts, and a node forced out by vote that comes back is
/// refused by every peer while the others keep committing.
/// </summary>
public sealed class GovernanceEnforcementProcessTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(240);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(120);
    private static readonly Address Sink = Address.Parse("0x000000000000000000000000000000000000beef");

    [Fact]
    public async Task PermissionedChain_RefusesAnAccountWithoutTheRight_AndARemovedNodeIsRefusedWhenItComesBack()
    {
        using ConsortiumNetwork network = await ConsortiumNetwork.UpAsync(output, "hotstuff", 4);
        string dir = network.Directory;
        var options = new TrellisClientOptions { ReceiptPollInterval = TimeSpan.FromMilliseconds(100) };
        using var client = new TrellisClient(network.Rpc[0], options);
        var registry = new GovernanceClient(client);
        Wallet granted = await network.DevelopmentWalletAsync(0);
        Wallet outsider = await network.DevelopmentWalletAsync(1);
        using var grantedSigner = new Signer(client, granted);
        using var outsiderSigner = new Signer(client, outsider);
        await grantedSigner.SendAndWaitAsync(Sink, ReadOnlyMemory<byte>.Empty, UInt256.One, Wait);

        // Grant one account the transact right, then make the chain permissioned (each by a vote of all members).
        await ProposeAndPassAsync(registry, dir, "grant-rights", granted.Address.ToString(), "transact");
        await ProposeAndPassAsync(registry, dir, "set-permissioned", "true");
        Assert.True(await registry.IsPermissionedAsync());

        var refused = await Assert.ThrowsAsync<TrellisRpcException>(() => outsiderSigner.SendTransactionAsync(Sink, ReadOnlyMemory<byte>.Empty, UInt256.One));
        output.WriteLine(refused.Message);
        Assert.Contains("the chain is permissioned", refused.Message, StringComparison.Ordinal);
        Assert.Contains("has no transact right", refused.Message, StringComparison.OrdinalIgnoreCase);
        var receipt = await grantedSigner.SendAndWaitAsync(Sink, ReadOnlyMemory<byte>.Empty, UInt256.One, Wait);
        Assert.True(receipt.Succeeded);

        // Force org4's node out by vote (node remove also stops its process), then start it again by hand.
        await RunAsync("node", "remove", "org4-node1", "--dir", dir);
        await network.StartAsync(3);
        using var removed = new RpcClient(network.Rpc[3]);
        ulong stuckAt = await removed.QuantityAsync("eth_blockNumber");

        // The other three keep committing; the removed node gets no peer and no block.
        ulong last = 0;
        for (int i = 0; i < 3; i++)
        {
            last = (await grantedSigner.SendAndWaitAsync(Sink, ReadOnlyMemory<byte>.Empty, UInt256.One, Wait)).BlockNumber;
        }

        await network.WaitForHeightAsync(last, Wait, 0, 1, 2);
        JsonElement status = await removed.CallAsync("trellis_status");
        Assert.Equal(0, status.GetProperty("peers").GetInt32());
        Assert.Equal(stuckAt, await removed.QuantityAsync("eth_blockNumber"));
        Assert.True(last > stuckAt, $"the others stopped at {last}");
    }

    private async Task ProposeAndPassAsync(GovernanceClient registry, string dir, params string[] proposal)
    {
        string proposed = await RunAsync(["gov", "propose", .. proposal, "--org", "org1", "--dir", dir]);
        string id = System.Text.RegularExpressions.Regex.Match(proposed, @"proposal (\d+) ").Groups[1].Value;
        foreach (string org in new[] { "org2", "org3" })
        {
            await RunAsync("gov", "vote", id, "--org", org, "--dir", dir);
        }

        Assert.Equal(ProposalStatus.Executed, (await registry.GetProposalAsync(ulong.Parse(id, System.Globalization.CultureInfo.InvariantCulture))).Status);
    }

    private async Task<string> RunAsync(params string[] arguments)
    {
        var (code, text, error) = await TrellisProcess.RunAsync(CommandTimeout, arguments);
        output.WriteLine($"trellis {string.Join(' ', arguments)}\n{text}{error}");
        Assert.True(code == 0, $"trellis {string.Join(' ', arguments)} exited {code}: {error}");
        return text;
    }
}
