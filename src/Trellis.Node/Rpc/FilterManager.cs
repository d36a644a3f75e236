using System.Collections.Concurrent;
using System.Security.Cryptography;
using Trellis.Core;
using Trellis.Node.JsonRpc;

namespace Trellis.Node.Rpc;

/// <summary>Installed polling filters: creation, delivery of new events, expiry after an idle timeout.</summary>
internal sealed class FilterManager
{
    private readonly ConcurrentDictionary<string, InstalledFilter> _filters = new(StringComparer.OrdinalIgnoreCase);
    private readonly EthRpcOptions _options;
    private readonly TimeProvider _time;
    private readonly long _timeoutTicks;
    private long _nextSweep;

    public FilterManager(EthRpcOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _timeoutTicks = (long)(options.FilterTimeout.TotalSeconds * time.TimestampFrequency);
    }

    public int Count => _filters.Count;

    public string Install(FilterKind kind, LogFilterRequest? logFilter)
    {
        RemoveExpired();
        if (_filters.Count >= _options.MaxFilters)
        {
            throw new JsonRpcException(JsonRpcErrorCodes.LimitExceeded, $"too many filters installed: the limit is {_options.MaxFilters}");
        }

        string id = NewId();
        _filters[id] = new InstalledFilter(kind, logFilter, _options.MaxFilterChanges, _time.GetTimestamp());
        return id;
    }

    public bool TryGet(string id, out InstalledFilter filter)
    {
        RemoveExpired();
        if (!_filters.TryGetValue(id, out filter!))
        {
            return false;
        }

        if (_time.GetTimestamp() - filter.LastPolled > _timeoutTicks)
        {
            _filters.TryRemove(id, out _);
            return false;
        }

        return true;
    }

    public bool Uninstall(string id) => _filters.TryRemove(id, out _);

    public long Now => _time.GetTimestamp();

    public void OnNewBlock(NewBlockEvent newBlock)
    {
        RemoveExpired();
        foreach (InstalledFilter filter in _filters.Values)
        {
            switch (filter.Kind)
            {
                case FilterKind.Blocks:
                    filter.AddHash(newBlock.Block.Hash);
                    break;
                case FilterKind.Logs:
                    LogFilterRequest request = filter.LogFilter!;
                    if (!InRange(request, newBlock.Block))
                    {
                        break;
                    }

                    foreach (RpcLog log in newBlock.Logs)
                    {
                        if (request.Criteria.Matches(log))
                        {
                            filter.AddLog(log);
                        }
                    }

                    break;
            }
        }
    }

    public void OnPendingTransaction(Hash256 hash)
    {
        foreach (InstalledFilter filter in _filters.Values)
        {
            if (filter.Kind == FilterKind.PendingTransactions)
            {
                filter.AddHash(hash);
            }
        }
    }

    /// <summary>Removes filters not polled within the timeout; scans at most once a second.</summary>
    public void RemoveExpired()
    {
        long now = _time.GetTimestamp();
        long due = Interlocked.Read(ref _nextSweep);
        if (now < due || Interlocked.CompareExchange(ref _nextSweep, now + _time.TimestampFrequency, due) != due)
        {
            return;
        }

        foreach (var pair in _filters)
        {
            if (now - pair.Value.LastPolled > _timeoutTicks)
            {
                _filters.TryRemove(pair);
            }
        }
    }

    /// <summary>A fresh 128-bit random id as geth uses ("0x" and 32 hex digits).</summary>
    public static string NewId()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return Hex.Encode(bytes);
    }

    private static bool InRange(LogFilterRequest request, RpcBlock block)
    {
        if (request.BlockHash is { } hash)
        {
            return hash == block.Hash;
        }

        // Only explicit numbers bound a polling filter; tags follow the head.
        if (request.FromBlock.Tag == BlockTag.Number && block.Number < request.FromBlock.Number)
        {
            return false;
        }

        return request.ToBlock.Tag != BlockTag.Number || block.Number <= request.ToBlock.Number;
    }
}
