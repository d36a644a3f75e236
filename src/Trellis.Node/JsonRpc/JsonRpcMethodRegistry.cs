using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Trellis.Node.JsonRpc;

/// <summary>Method handlers by name (case-sensitive, as in other Ethereum clients).</summary>
public sealed class JsonRpcMethodRegistry
{
    private readonly ConcurrentDictionary<string, JsonRpcHandler> _handlers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JsonRpcBatchPreparer> _preparers = new(StringComparer.Ordinal);

    /// <summary>The registered method names, sorted.</summary>
    public IReadOnlyList<string> Methods
    {
        get
        {
            var names = _handlers.Keys.ToList();
            names.Sort(StringComparer.Ordinal);
            return names;
        }
    }

    /// <summary>Registers <paramref name="handler"/> for <paramref name="method"/>.</summary>
    /// <exception cref="InvalidOperationException">The name is already registered.</exception>
    public void Add(string method, JsonRpcHandler handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(handler);
        if (!_handlers.TryAdd(method, handler))
        {
            throw new InvalidOperationException($"JSON-RPC method \"{method}\" is already registered");
        }
    }

    /// <summary>Registers a handler that needs no asynchrony.</summary>
    public void Add(string method, Action<JsonRpcCallContext, JsonRpcParams, System.Text.Json.Utf8JsonWriter> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Add(method, (context, parameters, writer) =>
        {
            handler(context, parameters, writer);
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>
    /// Lets consecutive calls to <paramref name="method"/> in a batch be prepared together by
    /// <paramref name="preparer"/> before their handlers run.
    /// </summary>
    /// <exception cref="InvalidOperationException">The method already has a preparer.</exception>
    public void AddBatchPreparer(string method, JsonRpcBatchPreparer preparer)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(preparer);
        if (!_preparers.TryAdd(method, preparer))
        {
            throw new InvalidOperationException($"JSON-RPC method \"{method}\" already has a batch preparer");
        }
    }

    /// <summary>The batch preparer of <paramref name="method"/>, if it has one.</summary>
    public bool TryGetBatchPreparer(string method, [NotNullWhen(true)] out JsonRpcBatchPreparer? preparer) => _preparers.TryGetValue(method, out preparer);

    /// <summary>Finds the handler for <paramref name="method"/>.</summary>
    public bool TryGet(string method, [NotNullWhen(true)] out JsonRpcHandler? handler) => _handlers.TryGetValue(method, out handler);
}
