using System.Globalization;
using System.Text.Json;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Ledger.Governance;
using Trellis.Sdk;
using Trellis.Sdk.Governance;
using Trellis.Sdk.Rpc;
using Xunit.Abstractions;

namespace Trellis.Integration.Tests;

/// <summary>
/// Issue 6's "done when", on real processes and from the CLI only: a 4-organisation HotStuff network grows to five
/// organisations and six nodes by vote (<c>org add</c>, <c>node add</c> twice), the new validators sign commit
/// certificates, one node is then forced out by vote (<c>node remove</c>) and the other five keep agreeing. Every
/// step is checked through the SDK (registry reads, <c>trellis_getBlockCertificate</c>, receipts, block hashes).
/// </summary>
public sealed class ConsortiumGrowthTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(240);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(120);
    private static readonly Address Sink = Address.Parse("0x000000000000000000000000000000000000beef");

    [Theory]
    [InlineData("standard")]
    [InlineData("national")]
    public async Task FourOrganisations_GrowToFiveAndSixNodes_LoseOneByVote_AndKeepAgreeing(string crypto)
    {
        using ConsortiumNetwork network = await ConsortiumNetwork.UpAsync(output, "hotstuff", 4, crypto: crypto);
        string dir = network.Directory;
        ICryptoSuite suite = crypto == "national" ? CryptoSuites.National : CryptoSuites.Standard;
        var options = new TrellisClientOptions { ReceiptPollInterval = TimeSpan.FromMilliseconds(100) };
        using var client = new TrellisClient(network.Rpc[0], options);
        var registry = new GovernanceClient(client);
        Wallet wallet = await network.DevelopmentWalletAsync(0, suite);
        using var signer = new Signer(client, wallet);
        await TransferAsync(signer);

        // Five organisations.
        string orgAdded = await RunAsync("org", "add", "org5", "--vote-all", "--dir", dir);
        Assert.Contains("org5 is a member", orgAdded, StringComparison.Ordinal);
        Assert.Equal(5, (await registry.GetMembersAsync()).Count);

        // Six nodes: two validators of org5, each admitted by vote, started, synced.
        await RunAsync("node", "add", "--org", "org5", "--role", "validator", "--timeout", "180", "--dir", dir);
        await RunAsync("node", "add", "--org", "org5", "--role", "validator", "--timeout", "180", "--dir", dir);
        Uri[] rpc = await RpcEndpointsAsync(dir);
        Assert.Equal(6, rpc.Length);
        NodeInfo[] validators = [.. (await registry.GetNodesAsync()).Where(n => n.Role == RegistryRole.Validator)];
        Assert.Equal(6, validators.Length);
        NodeInfo fifth = Assert.Single(validators, n => n.Name == "org5-node1");
        NodeInfo sixth = Assert.Single(validators, n => n.Name == "org5-node2");

        // The new validators sign: a block committed after their activation carries their signatures.
        ulong after = await TransferAsync(signer);
        await WaitForSignerAsync(client, fifth.SigningAddress, Math.Max(after, sixth.ActivationHeight), signer);
        await WaitForSignerAsync(client, sixth.SigningAddress, Math.Max(after, sixth.ActivationHeight), signer);
        await AssertAgreementAsync(rpc, await TransferAsync(signer));

        // Lose one by vote: org2's node is forced out, its process stopped; the other five keep agreeing and the
        // removed validator never signs again.
        NodeInfo removed = Assert.Single(validators, n => n.Name == "org2-node1");
        string removal = await RunAsync("node", "remove", "org2-node1", "--dir", dir);
        Assert.Contains("org2-node1 is removed", removal, StringComparison.Ordinal);
        NodeInfo removedNow = (await registry.GetNodeAsync(removed.SigningAddress))!;
        Assert.Equal(RegistryRole.Removed, removedNow.Role);
        Uri[] remaining = await RpcEndpointsAsync(dir);
        Assert.Equal(5, remaining.Length);

        ulong last = 0;
        for (int i = 0; i < 5; i++)
        {
            last = await TransferAsync(signer);
        }

        for (ulong height = removedNow.ActivationHeight; height <= last; height++)
        {
            BlockCertificate? certificate = await client.GetBlockCertificateAsync(height);
            if (certificate is not null)
            {
                Assert.DoesNotContain(removed.SigningAddress, certificate.Signers);
            }
        }

        // The five that remain still certify blocks, the new validators among them.
        await WaitForSignerAsync(client, fifth.SigningAddress, removedNow.ActivationHeight, signer);
        await AssertAgreementAsync(remaining, await TransferAsync(signer));
    }

    [Fact]
    public async Task RaftNetwork_AddsAVoterByVote_WhoseAcksCount_ThenLosesOneAndKeepsAgreeing()
    {
        using ConsortiumNetwork network = await ConsortiumNetwork.UpAsync(output, "raft", 3);
        string dir = network.Directory;
        var options = new TrellisClientOptions { ReceiptPollInterval = TimeSpan.FromMilliseconds(100) };
        using var client = new TrellisClient(network.Rpc[0], options);
        var registry = new GovernanceClient(client);
        Wallet wallet = await network.DevelopmentWalletAsync(0);
        using var signer = new Signer(client, wallet);

        await RunAsync("org", "add", "org4", "--vote-all", "--dir", dir);
        await RunAsync("node", "add", "--org", "org4", "--role", "validator", "--timeout", "180", "--dir", dir);
        Uri[] rpc = await RpcEndpointsAsync(dir);
        Assert.Equal(4, rpc.Length);
        using (var joined = new RpcClient(rpc[3]))
        {
            // A voter of the new configuration, no longer an observer.
            string role = await EventuallyRoleAsync(joined, r => r is "follower" or "leader" or "candidate");
            output.WriteLine($"org4-node1 is a raft {role}");
        }

        // Four voters need three: with org2's node stopped, blocks commit only because org4's node counts.
        await network.StopAsync(1);
        await AssertAgreementAsync([rpc[0], rpc[2], rpc[3]], await TransferAsync(signer));
        await network.StartAsync(1);

        // Lose one by vote: the remaining three keep agreeing.
        string removal = await RunAsync("node", "remove", "org3-node1", "--dir", dir);
        Assert.Contains("org3-node1 is removed", removal, StringComparison.Ordinal);
        Assert.Equal(3, (await registry.GetNodesAsync()).Count(n => n.Role == RegistryRole.Validator));
        Uri[] remaining = await RpcEndpointsAsync(dir);
        Assert.Equal(3, remaining.Length);
        ulong last = 0;
        for (int i = 0; i < 3; i++)
        {
            last = await TransferAsync(signer);
        }

        await AssertAgreementAsync(remaining, last);
    }

    private static async Task<string> EventuallyRoleAsync(RpcClient rpc, Func<string, bool> accepted)
    {
        DateTime deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            string role = (await rpc.CallAsync("trellis_status")).GetProperty("role").GetString()!;
            if (accepted(role))
            {
                return role;
            }

            Assert.True(DateTime.UtcNow < deadline, $"role is still {role}");
            await Task.Delay(200);
        }
    }

    private static async Task<ulong> TransferAsync(Signer signer)
    {
        var receipt = await signer.SendAndWaitAsync(Sink, ReadOnlyMemory<byte>.Empty, UInt256.One, Wait);
        Assert.True(receipt.Succeeded, $"transfer {receipt.TransactionHash} failed");
        return receipt.BlockNumber;
    }

    private async Task WaitForSignerAsync(TrellisClient client, Address validator, ulong from, Signer signer)
    {
        DateTime deadline = DateTime.UtcNow + Wait;
        ulong next = from;
        while (true)
        {
            ulong head = await client.GetBlockNumberAsync();
            for (; next <= head; next++)
            {
                BlockCertificate? certificate = await client.GetBlockCertificateAsync(next);
                if (certificate is not null && certificate.Signers.Contains(validator))
                {
                    output.WriteLine($"{validator} signed block {next} (round {certificate.Round}, {certificate.Signers.Count} signers)");
                    return;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"{validator} signed no certificate of blocks {from}..{head}");

            // HotStuff makes blocks only when there is work.
            await TransferAsync(signer);
        }
    }

    private async Task AssertAgreementAsync(Uri[] endpoints, ulong height)
    {
        var hashes = new List<string>();
        foreach (Uri endpoint in endpoints)
        {
            using var rpc = new RpcClient(endpoint);
            DateTime deadline = DateTime.UtcNow + Wait;
            while (await rpc.QuantityAsync("eth_blockNumber") < height)
            {
                Assert.True(DateTime.UtcNow < deadline, $"{endpoint} did not reach height {height}");
                await Task.Delay(100);
            }

            hashes.Add(string.Join(",", await ConsortiumNetwork.BlockHashesAsync(rpc, height)));
        }

        output.WriteLine($"{endpoints.Length} nodes agree on blocks 0..{height}");
        Assert.All(hashes, h => Assert.Equal(hashes[0], h));
    }

    private static async Task<Uri[]> RpcEndpointsAsync(string dir)
    {
        using JsonDocument manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "network.json")));
        return [.. manifest.RootElement.GetProperty("nodes").EnumerateArray().Select(n => new Uri(n.GetProperty("rpc").GetString()!))];
    }

    private async Task<string> RunAsync(params string[] arguments)
    {
        var (code, text, error) = await TrellisProcess.RunAsync(CommandTimeout, arguments);
        output.WriteLine($"trellis {string.Join(' ', arguments)}\n{text}{error}");
        Assert.True(code == 0, $"trellis {string.Join(' ', arguments)} exited {code.ToString(CultureInfo.InvariantCulture)}: {error}");
        return text;
    }
}
