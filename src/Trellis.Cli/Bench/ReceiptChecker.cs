using System.Globalization;
using System.Text.Json;
using Trellis.Core;

namespace Trellis.Cli.Bench;

/// <summary>
/// After the timed phase, reads the receipt of every committed transaction of the run — block by block with
/// <c>eth_getBlockReceipts</c>, or, on a node without it, <c>eth_getTransactionReceipt</c> in batches — and counts
/// those with status 1 (success) and 0 (reverted).
/// </summary>
internal static class ReceiptChecker
{
    /// <summary>Counts successes and reverts; returns the method used.</summary>
    public static async Task<(long Succeeded, long Reverted, string Method)> CheckAsync(BenchRpcClient client, IReadOnlyList<ulong> blocks, PreparedLoad load, RunRecorder recorder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        long succeeded = 0;
        long reverted = 0;
        try
        {
            foreach (ulong block in blocks)
            {
                JsonElement receipts = await client.CallAsync("eth_getBlockReceipts", $"[\"0x{block.ToString("x", CultureInfo.InvariantCulture)}\"]", cancellationToken).ConfigureAwait(false);
                if (receipts.ValueKind != JsonValueKind.Array)
                {
                    throw new BenchRpcException($"eth_getBlockReceipts for block {block.ToString(CultureInfo.InvariantCulture)} answered {receipts.ValueKind}");
                }

                foreach (JsonElement receipt in receipts.EnumerateArray())
                {
                    Count(receipt, load, ref succeeded, ref reverted);
                }
            }

            return (succeeded, reverted, "eth_getBlockReceipts");
        }
        catch (BenchRpcException e) when (e.Message.Contains("(-32601)", StringComparison.Ordinal))
        {
            // The node lacks eth_getBlockReceipts: ask per transaction instead.
        }

        succeeded = 0;
        reverted = 0;
        var committed = new List<int>();
        for (int i = 0; i < load.Count; i++)
        {
            if (recorder.CommitTicks[i] != 0)
            {
                committed.Add(i);
            }
        }

        for (int start = 0; start < committed.Count; start += 200)
        {
            var calls = new List<(string, string)>();
            for (int j = start; j < Math.Min(committed.Count, start + 200); j++)
            {
                calls.Add(("eth_getTransactionReceipt", $"[\"{load.Hashes[committed[j]]}\"]"));
            }

            foreach (JsonElement receipt in await client.BatchAsync(calls, cancellationToken).ConfigureAwait(false))
            {
                Count(receipt, load, ref succeeded, ref reverted);
            }
        }

        return (succeeded, reverted, "eth_getTransactionReceipt");
    }

    private static void Count(JsonElement receipt, PreparedLoad load, ref long succeeded, ref long reverted)
    {
        if (receipt.ValueKind != JsonValueKind.Object ||
            !receipt.TryGetProperty("transactionHash", out JsonElement hash) || !Hash256.TryParse(hash.GetString(), out Hash256 value) ||
            !load.IndexByHash.ContainsKey(value))
        {
            return;
        }

        if (receipt.TryGetProperty("status", out JsonElement status) && status.ValueKind == JsonValueKind.String && status.GetString() == "0x1")
        {
            succeeded++;
        }
        else
        {
            reverted++;
        }
    }
}
