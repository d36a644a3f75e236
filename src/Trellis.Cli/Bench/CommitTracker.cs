using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using System.Text.Json;
using Trellis.Core;

namespace Trellis.Cli.Bench;

/// <summary>
/// Detects commits from block data on one node: polls <c>eth_blockNumber</c> every few milliseconds and, for each
/// new height, reads the block's transaction hashes (<c>eth_getBlockByNumber(n, false)</c>). A transaction's commit
/// time is when its block's height was first seen, so latency needs no per-transaction polling.
/// </summary>
internal sealed class CommitTracker
{
    private readonly BenchRpcClient _client;
    private readonly PreparedLoad _load;
    private readonly RunRecorder _recorder;
    private readonly TimeSpan _interval;
    private readonly List<ulong> _blocks = [];
    private ulong _height;

    public CommitTracker(BenchRpcClient client, PreparedLoad load, RunRecorder recorder, ulong startHeight, TimeSpan interval)
    {
        _client = client;
        _load = load;
        _recorder = recorder;
        _height = startHeight;
        _interval = interval;
    }

    /// <summary>Blocks that held at least one transaction of the run, in order.</summary>
    public IReadOnlyList<ulong> Blocks => _blocks;

    /// <summary>Blocks observed during the run (with or without our transactions).</summary>
    public int BlocksObserved { get; private set; }

    /// <summary>The last error reading blocks, if polling failed at some point (it retries).</summary>
    public string? LastError { get; private set; }

    /// <summary>
    /// Follows the chain until every transaction is committed or refused, or <paramref name="stall"/> passes without
    /// progress (nothing submitted or committed), or <paramref name="cancellationToken"/> fires.
    /// </summary>
    /// <returns>True when every transaction was resolved; false on the stall timeout.</returns>
    public async Task<bool> RunAsync(TimeSpan stall, CancellationToken cancellationToken)
    {
        long stallTicks = (long)(stall.TotalSeconds * Stopwatch.Frequency);
        while (!cancellationToken.IsCancellationRequested)
        {
            if (_recorder.Resolved >= _load.Count)
            {
                return true;
            }

            if (Stopwatch.GetTimestamp() - _recorder.LastProgress > stallTicks)
            {
                return false;
            }

            try
            {
                await PollAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or BenchRpcException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                LastError = e.Message;
            }

            if (_recorder.Resolved < _load.Count)
            {
                await Task.Delay(_interval, cancellationToken).ConfigureAwait(false);
            }
        }

        return _recorder.Resolved >= _load.Count;
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        JsonElement head = await _client.CallAsync("eth_blockNumber", "[]", cancellationToken).ConfigureAwait(false);
        long seen = Stopwatch.GetTimestamp();
        ulong height = ParseQuantity(head);
        if (height <= _height)
        {
            return;
        }

        // Every new block at once, in one batch (bounded so a long stall does not ask for thousands).
        ulong last = Math.Min(height, _height + 64);
        var calls = new List<(string, string)>();
        for (ulong h = _height + 1; h <= last; h++)
        {
            calls.Add(("eth_getBlockByNumber", $"[\"0x{h.ToString("x", CultureInfo.InvariantCulture)}\",false]"));
        }

        JsonElement[] blocks = await _client.BatchAsync(calls, cancellationToken).ConfigureAwait(false);
        for (int i = 0; i < blocks.Length; i++)
        {
            ulong number = _height + 1 + (ulong)i;
            bool ours = false;
            if (blocks[i].ValueKind == JsonValueKind.Object && blocks[i].TryGetProperty("transactions", out JsonElement transactions))
            {
                foreach (JsonElement hash in transactions.EnumerateArray())
                {
                    if (hash.ValueKind == JsonValueKind.String && Hash256.TryParse(hash.GetString(), out Hash256 value) &&
                        _load.IndexByHash.TryGetValue(value, out int index) && _recorder.Commit(index, number, seen))
                    {
                        ours = true;
                    }
                }
            }

            if (ours)
            {
                _blocks.Add(number);
            }
        }

        BlocksObserved += blocks.Length;
        _height = last;
    }

    private static ulong ParseQuantity(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && value.GetString() is string text && text.StartsWith("0x", StringComparison.Ordinal) &&
        ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong number)
            ? number
            : throw new BenchRpcException($"eth_blockNumber answered {value.GetRawText()}, not a hex quantity");
}
