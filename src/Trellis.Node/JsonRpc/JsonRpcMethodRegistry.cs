using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Trellis.Node.JsonRpc;

/// <summary>Method handlers by name (case-sensitive, as in other Ethereum clients).</summary>
public sealed class JsonRpcMethodRegistry
{
    private readonly ConcurrentDictionary<string, JsonRpcHandler> _handlers = new(StringComparer.Ordinal);

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

    /// <summary>Finds the handler for <paramref name="method"/>.</summary>
    public bool TryGet(string method, [NotNullWhen(true)] out JsonRpcHandler? handler) => _handlers.TryGetValue(method, out handler);
}
