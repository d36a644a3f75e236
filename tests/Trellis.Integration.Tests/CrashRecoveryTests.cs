using System.Collections.Concurrent;
using System.Text.Json;
using Xunit.Abstractions;

namespace Trellis.Integration.Tests;

/// <summary>
/// Issue 4, item 5: a node killed with SIGKILL under load restarts at its last committed block, and every
/// transaction whose receipt was ever returned is still there; the ledger then verifies from genesis.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    private const int Kills = 20;
    private const int Senders = 4;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Node_KilledUnderLoadTwentyTimes_KeepsEveryReceiptItReturnedAndVerifies()
    {
        using var network = new IntegrationNetwork(Senders, blockIntervalMs: 20);
        var random = new Random(4242);

        // Every receipt ever returned: transaction hash -> (block hash, block number).
        var receipts = new ConcurrentDictionary<string, (string BlockHash, ulong BlockNumber)>(StringComparer.Ordinal);
        ulong highestReceiptBlock = 0;
        for (int round = 0; round < Kills; round++)
        {
            using TrellisProcess node = TrellisProcess.Start("node", "run", "--config", network.ConfigFile);
            Uri address = await node.WaitUntilServingAsync(StartTimeout);
            using var client = new RpcClient(address);

            ulong head = await client.QuantityAsync("eth_blockNumber");
            Assert.True(head >= highestReceiptBlock, $"round {round}: restarted at block {head}, below block {highestReceiptBlock} of a returned receipt");

            using var load = new CancellationTokenSource();
            Task[] senders = new Task[Senders];
            for (int s = 0; s < Senders; s++)
            {
                senders[s] = SendAndCollectAsync(network, client, s, receipts, load.Token);
            }

            // A random moment in 0.3 .. 2 s of load, then SIGKILL: nothing gets a chance to flush or clean up.
            await Task.Delay(TimeSpan.FromMilliseconds(300 + random.Next(1700)));
            node.Kill();
            await load.CancelAsync();
            await Task.WhenAll(senders);

            foreach ((string _, ulong blockNumber) in receipts.Values)
            {
                highestReceiptBlock = Math.Max(highestReceiptBlock, blockNumber);
            }

            output.WriteLine($"round {round + 1}: started at block {head}; {receipts.Count} receipts so far, the latest in block {highestReceiptBlock}");
        }

        Assert.True(receipts.Count >= Kills, $"only {receipts.Count} receipts were returned over {Kills} rounds of load");

        using (TrellisProcess node = TrellisProcess.Start("node", "run", "--config", network.ConfigFile))
        {
            using var client = new RpcClient(await node.WaitUntilServingAsync(StartTimeout));
            foreach ((string hash, (string blockHash, ulong _)) in receipts)
            {
                JsonElement receipt = await client.CallAsync("eth_getTransactionReceipt", $"[\"{hash}\"]");
                Assert.True(receipt.ValueKind == JsonValueKind.Object, $"the receipt of {hash} was returned before a crash but is gone");
                Assert.Equal(blockHash, receipt.GetProperty("blockHash").GetString());
                Assert.Equal("0x1", receipt.GetProperty("status").GetString());
            }

            node.Interrupt();
            await node.WaitForExitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(0, node.ExitCode);
        }

        var (code, stdout, stderr) = await TrellisProcess.RunAsync(TimeSpan.FromMinutes(5), "ledger", "verify", "--data", network.DataDir);
        Assert.True(code == 0, $"ledger verify failed ({code}):\n{stdout}\n{stderr}");
        Assert.Contains("ledger ok", stdout, StringComparison.Ordinal);
    }

    /// <summary>One sender: sends transfers with consecutive nonces and records each receipt the node returns.</summary>
    private static async Task SendAndCollectAsync(IntegrationNetwork network, RpcClient client, int sender, ConcurrentDictionary<string, (string BlockHash, ulong BlockNumber)> receipts, CancellationToken cancellationToken)
    {
        try
        {
            // After a crash the pool is empty: the next nonce is the committed one.
            ulong nonce = await client.QuantityAsync("eth_getTransactionCount", $"[\"{network.Addresses[sender].ToLowerHex()}\", \"latest\"]", cancellationToken);
            var pending = new List<string>();
            while (!cancellationToken.IsCancellationRequested)
            {
                for (int i = 0; i < 10; i++)
                {
                    pending.Add((await client.CallAsync("eth_sendRawTransaction", $"[\"{network.Transfer(sender, nonce)}\"]", cancellationToken)).GetString()!);
                    nonce++;
                }

                for (int i = pending.Count - 1; i >= 0; i--)
                {
                    JsonElement receipt = await client.CallAsync("eth_getTransactionReceipt", $"[\"{pending[i]}\"]", cancellationToken);
                    if (receipt.ValueKind == JsonValueKind.Object)
                    {
                        receipts[pending[i]] = (receipt.GetProperty("blockHash").GetString()!, RpcClient.ParseQuantity(receipt.GetProperty("blockNumber").GetString()!));
                        pending.RemoveAt(i);
                    }
                }

                await Task.Delay(5, cancellationToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or TaskCanceledException or IOException)
        {
            // The node was killed (or the round ended): whatever was not confirmed does not count.
        }
    }
}
