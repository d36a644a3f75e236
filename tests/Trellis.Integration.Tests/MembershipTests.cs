using System.Globalization;
using System.Text.Json;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Ledger.Transactions;
using Xunit.Abstractions;

namespace Trellis.Integration.Tests;

/// <summary>
/// Runtime membership on real processes: a node of an organisation admitted after genesis (<c>org add</c>, then
/// <c>node add</c>) starts, is admitted by its peers, syncs, takes part in transaction flow, and comes back with the
/// others after <c>down</c> and <c>up</c>.
/// </summary>
public sealed class MembershipTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(240);

    [Fact]
    public async Task NodesOfALaterMember_StartSyncCommitTransactionsAndResumeAfterDownUp()
    {
        using ConsortiumNetwork network = await ConsortiumNetwork.UpAsync(output, "hotstuff", 4);
        string orgAdded = await RunAsync("org", "add", "org5", "--vote-all", "--dir", network.Directory);
        Assert.Contains("org5 is a member", orgAdded, StringComparison.Ordinal);

        string nodeAdded = await RunAsync("node", "add", "--org", "org5", "--role", "observer", "--timeout", "180", "--dir", network.Directory);
        Assert.Contains("org5-node1 is registered as observer", nodeAdded, StringComparison.Ordinal);
        Assert.Contains("org5-node1 answers at", nodeAdded, StringComparison.Ordinal);
        Assert.Contains("has synced to height", nodeAdded, StringComparison.Ordinal);

        Uri[] rpc = await RpcAddressesAsync(network.Directory);
        Assert.Equal(5, rpc.Length);
        RpcClient[] clients = [.. rpc.Select(u => new RpcClient(u))];
        try
        {
            string log = await File.ReadAllTextAsync(Path.Combine(network.Directory, "nodes", "org5-node1", "node.log"));
            Assert.Contains("is not in genesis; admission and role come from the registry as the chain syncs", log, StringComparison.Ordinal);

            // A transfer sent to the new node reaches the validators and is committed on every node with the same blocks.
            string hash = await SendTransferAsync(network, clients[4]);
            ulong height = await WaitForReceiptAsync(clients, hash);
            await WaitForHeightAsync(clients, height);
            await AssertSameBlocksAsync(clients, height);

            string status = await RunAsync("status", "--dir", network.Directory);
            Assert.Matches(@"org5-node1\s+observer\s+\d+\s+[1-9]", status);

            // A second node of org5, registered as a validator: it runs and syncs; until the engines take their
            // validator set from the registry it follows as an observer (either role is accepted here).
            string validatorAdded = await RunAsync("node", "add", "--org", "org5", "--role", "validator", "--timeout", "180", "--dir", network.Directory);
            Assert.Contains("org5-node2 is registered as validator", validatorAdded, StringComparison.Ordinal);
            Assert.Contains("has synced to height", validatorAdded, StringComparison.Ordinal);
            Uri[] all = await RpcAddressesAsync(network.Directory);
            Assert.Equal(6, all.Length);
            clients = [.. clients, new RpcClient(all[5])];

            await RunAsync("down", "--dir", network.Directory);
            string up = await RunAsync("up", "--detach", "--dir", network.Directory);
            Assert.Contains("org5-node1", up, StringComparison.Ordinal);
            Assert.Contains("org5-node2", up, StringComparison.Ordinal);
            await WaitForHeightAsync(clients, height);

            // After the restart the new node is admitted again (its hello carries org5's CA, which the ledger lists) and follows.
            string again = await SendTransferAsync(network, clients[0]);
            ulong later = await WaitForReceiptAsync(clients, again);
            await WaitForHeightAsync(clients, later);
            await AssertSameBlocksAsync(clients, later);
            string resumed = await RunAsync("status", "--dir", network.Directory);
            Assert.Matches(@"org5-node1\s+observer\s+\d+\s+[1-9]", resumed);
            Assert.Matches(@"org5-node2\s+(observer|validator|leader)\s+\d+\s+[1-9]", resumed);

            string proposals = await RunAsync("gov", "list", "--dir", network.Directory);
            Assert.Matches(@"add-member\s+executed", proposals);
            Assert.Matches(@"add-node\s+executed", proposals);
        }
        finally
        {
            foreach (RpcClient client in clients)
            {
                client.Dispose();
            }
        }
    }

    private static async Task<Uri[]> RpcAddressesAsync(string directory)
    {
        using JsonDocument manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "network.json")));
        return [.. manifest.RootElement.GetProperty("nodes").EnumerateArray().Select(n => new Uri(n.GetProperty("rpc").GetString()!))];
    }

    private static async Task<string> SendTransferAsync(ConsortiumNetwork network, RpcClient client)
    {
        using JsonDocument accounts = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(network.Directory, "accounts.json")));
        PrivateKey key = CryptoSuites.Standard.ImportPrivateKey(Hex.Decode(accounts.RootElement[0].GetProperty("privateKey").GetString()!));
        Address from = CryptoSuites.Standard.ToAddress(CryptoSuites.Standard.DerivePublicKey(key));
        ulong nonce = await client.QuantityAsync("eth_getTransactionCount", $"[\"{from}\", \"latest\"]");
        string raw = Hex.Encode(new TransactionBuilder
        {
            Type = TxType.DynamicFee,
            ChainId = network.ChainId,
            Nonce = nonce,
            GasLimit = 21_000,
            To = Address.Parse("0x000000000000000000000000000000000000dead"),
            Value = UInt256.One,
        }.Sign(CryptoSuites.Standard, key).Encode());
        JsonElement hash = await client.CallAsync("eth_sendRawTransaction", $"[\"{raw}\"]");
        return hash.GetString()!;
    }

    // Polls every node for the receipt; returns the block it was committed in.
    private static async Task<ulong> WaitForReceiptAsync(RpcClient[] clients, string hash)
    {
        DateTime deadline = DateTime.UtcNow + Timeout;
        ulong block = 0;
        for (int i = 0; i < clients.Length; i++)
        {
            while (true)
            {
                JsonElement receipt = await clients[i].CallAsync("eth_getTransactionReceipt", $"[\"{hash}\"]");
                if (receipt.ValueKind == JsonValueKind.Object)
                {
                    Assert.Equal("0x1", receipt.GetProperty("status").GetString());
                    block = Math.Max(block, RpcClient.ParseQuantity(receipt.GetProperty("blockNumber").GetString()!));
                    break;
                }

                Assert.True(DateTime.UtcNow < deadline, $"transaction {hash} is not committed on node {i} after {Timeout.TotalSeconds:0} s");
                await Task.Delay(200);
            }
        }

        return block;
    }

    private static async Task WaitForHeightAsync(RpcClient[] clients, ulong height)
    {
        DateTime deadline = DateTime.UtcNow + Timeout;
        for (int i = 0; i < clients.Length; i++)
        {
            while (true)
            {
                ulong current;
                try
                {
                    current = await clients[i].QuantityAsync("eth_blockNumber");
                }
                catch (HttpRequestException)
                {
                    // Still starting after `up`.
                    current = 0;
                }

                if (current >= height)
                {
                    break;
                }

                Assert.True(DateTime.UtcNow < deadline, $"node {i} is at height {current}, not {height}, after {Timeout.TotalSeconds:0} s");
                await Task.Delay(200);
            }
        }
    }

    private static async Task AssertSameBlocksAsync(RpcClient[] clients, ulong height)
    {
        string[] expected = await ConsortiumNetwork.BlockHashesAsync(clients[0], height);
        for (int i = 1; i < clients.Length; i++)
        {
            string[] actual = await ConsortiumNetwork.BlockHashesAsync(clients[i], height);
            for (ulong h = 0; h <= height; h++)
            {
                Assert.True(expected[h] == actual[h], $"block {h}: node 0 has {expected[h]}, node {i} has {actual[h]}");
            }
        }
    }

    private async Task<string> RunAsync(params string[] arguments)
    {
        var (code, text, error) = await TrellisProcess.RunAsync(Timeout, arguments);
        output.WriteLine($"trellis {string.Join(' ', arguments)}\n{text}{error}");
        Assert.True(code == 0, $"trellis {string.Join(' ', arguments)}: exit {code}: {error}");
        return text;
    }
}
