using System.Text.Json;
using Trellis.Core;

namespace Trellis.Node.Rpc;

/// <summary>
/// One eth_newFilter / eth_newBlockFilter / eth_newPendingTransactionFilter: the changes since the last poll,
/// bounded (oldest dropped) so an abandoned filter cannot hold unbounded memory before it expires.
/// </summary>
internal sealed class InstalledFilter
{
    // Guards _logs, _hashes and LastPolled.
    private readonly Lock _lock = new();
    private readonly Queue<RpcLog> _logs = new();
    private readonly Queue<Hash256> _hashes = new();
    private readonly int _capacity;

    public InstalledFilter(FilterKind kind, LogFilterRequest? logFilter, int capacity, long now)
    {
        Kind = kind;
        LogFilter = logFilter;
        _capacity = capacity;
        LastPolled = now;
    }

    public FilterKind Kind { get; }

    public LogFilterRequest? LogFilter { get; }

    public long LastPolled { get; private set; }

    public void AddHash(Hash256 hash)
    {
        lock (_lock)
        {
            if (_hashes.Count == _capacity)
            {
                _hashes.Dequeue();
            }

            _hashes.Enqueue(hash);
        }
    }

    public void AddLog(RpcLog log)
    {
        lock (_lock)
        {
            if (_logs.Count == _capacity)
            {
                _logs.Dequeue();
            }

            _logs.Enqueue(log);
        }
    }

    /// <summary>Writes the changes since the last poll as a JSON array and forgets them.</summary>
    public void WriteChanges(Utf8JsonWriter writer, long now)
    {
        RpcLog[] logs;
        Hash256[] hashes;
        lock (_lock)
        {
            LastPolled = now;
            logs = _logs.ToArray();
            hashes = _hashes.ToArray();
            _logs.Clear();
            _hashes.Clear();
        }

        writer.WriteStartArray();
        foreach (RpcLog log in logs)
        {
            EthJsonWriter.WriteLog(writer, log);
        }

        foreach (Hash256 hash in hashes)
        {
            EthJsonWriter.WriteHash(writer, hash);
        }

        writer.WriteEndArray();
    }

    public void Touch(long now)
    {
        lock (_lock)
        {
            LastPolled = now;
        }
    }
}
