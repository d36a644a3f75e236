using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Trellis.Core;
using Trellis.Node.JsonRpc;

namespace Trellis.Node.Rpc;

/// <summary>
/// eth_subscribe subscriptions of WebSocket connections. Delivery never waits: each notification is queued on the
/// connection with <see cref="IJsonRpcConnection.TrySend"/>, which disconnects a client whose queue overflows.
/// </summary>
internal sealed class SubscriptionManager
{
    private static readonly byte[] Prefix = Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"method\":\"eth_subscription\",\"params\":{\"subscription\":\"");
    private static readonly byte[] Middle = Encoding.UTF8.GetBytes("\",\"result\":");
    private static readonly byte[] Suffix = Encoding.UTF8.GetBytes("}}");

    private readonly ConcurrentDictionary<string, Subscription> _subscriptions = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<IJsonRpcConnection, int> _perConnection = new();
    private readonly int _maxPerConnection;

    public SubscriptionManager(int maxPerConnection)
    {
        _maxPerConnection = maxPerConnection;
    }

    public int Count => _subscriptions.Count;

    public string Add(IJsonRpcConnection connection, SubscriptionKind kind, LogFilterCriteria? criteria, bool fullTransactions)
    {
        int count = _perConnection.AddOrUpdate(connection, 1, static (_, c) => c + 1);
        if (count > _maxPerConnection)
        {
            Release(connection);
            throw new JsonRpcException(JsonRpcErrorCodes.LimitExceeded, $"too many subscriptions on this connection: the limit is {_maxPerConnection}");
        }

        string id = FilterManager.NewId();
        var subscription = new Subscription(id, connection, kind, criteria, fullTransactions);
        _subscriptions[id] = subscription;
        // A closed connection takes its subscriptions with it.
        subscription.Registration = connection.Closed.Register(static state =>
        {
            var (manager, sub) = ((SubscriptionManager, Subscription))state!;
            manager.Remove(sub.Connection, sub.Id);
        }, (this, subscription));
        return id;
    }

    public bool Remove(IJsonRpcConnection connection, string id)
    {
        if (!_subscriptions.TryGetValue(id, out Subscription? subscription) || !ReferenceEquals(subscription.Connection, connection))
        {
            return false;
        }

        if (!_subscriptions.TryRemove(new KeyValuePair<string, Subscription>(id, subscription)))
        {
            return false;
        }

        subscription.Registration.Dispose();
        Release(connection);
        return true;
    }

    public void OnNewBlock(NewBlockEvent newBlock)
    {
        byte[]? header = null;
        foreach (Subscription subscription in _subscriptions.Values)
        {
            if (subscription.Kind == SubscriptionKind.NewHeads)
            {
                header ??= Serialize(newBlock.Block, static (writer, block) => EthJsonWriter.WriteHeader(writer, block));
                Send(subscription, header);
            }
            else if (subscription.Kind == SubscriptionKind.Logs)
            {
                foreach (RpcLog log in newBlock.Logs)
                {
                    if (subscription.Criteria!.Matches(log) && !Send(subscription, Serialize(log, static (writer, l) => EthJsonWriter.WriteLog(writer, l))))
                    {
                        break;
                    }
                }
            }
        }
    }

    public void OnPendingTransaction(Hash256 hash, Func<Hash256, RpcTransaction?> lookup)
    {
        byte[]? hashJson = null;
        byte[]? transactionJson = null;
        foreach (Subscription subscription in _subscriptions.Values)
        {
            if (subscription.Kind != SubscriptionKind.NewPendingTransactions)
            {
                continue;
            }

            if (subscription.FullTransactions && (transactionJson ??= SerializeTransaction(hash, lookup)) is { Length: > 0 })
            {
                Send(subscription, transactionJson);
            }
            else
            {
                hashJson ??= Serialize(hash, static (writer, h) => EthJsonWriter.WriteHash(writer, h));
                Send(subscription, hashJson);
            }
        }
    }

    private static byte[] SerializeTransaction(Hash256 hash, Func<Hash256, RpcTransaction?> lookup)
    {
        RpcTransaction? transaction = lookup(hash);
        return transaction is null ? [] : Serialize(transaction, static (writer, t) => EthJsonWriter.WriteTransaction(writer, t));
    }

    private static bool Send(Subscription subscription, byte[] result)
    {
        int idLength = Encoding.ASCII.GetByteCount(subscription.Id);
        byte[] message = new byte[Prefix.Length + idLength + Middle.Length + result.Length + Suffix.Length];
        Span<byte> span = message;
        Prefix.CopyTo(span);
        span = span[Prefix.Length..];
        Encoding.ASCII.GetBytes(subscription.Id, span);
        span = span[idLength..];
        Middle.CopyTo(span);
        span = span[Middle.Length..];
        result.CopyTo(span);
        Suffix.CopyTo(span[result.Length..]);
        return subscription.Connection.TrySend(message);
    }

    private static byte[] Serialize<T>(T value, Action<Utf8JsonWriter, T> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer, value);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private void Release(IJsonRpcConnection connection)
    {
        while (_perConnection.TryGetValue(connection, out int count))
        {
            if (count <= 1 ? _perConnection.TryRemove(new KeyValuePair<IJsonRpcConnection, int>(connection, count)) : _perConnection.TryUpdate(connection, count - 1, count))
            {
                return;
            }
        }
    }

    private sealed class Subscription(string id, IJsonRpcConnection connection, SubscriptionKind kind, LogFilterCriteria? criteria, bool fullTransactions)
    {
        public string Id { get; } = id;

        public IJsonRpcConnection Connection { get; } = connection;

        public SubscriptionKind Kind { get; } = kind;

        public LogFilterCriteria? Criteria { get; } = criteria;

        public bool FullTransactions { get; } = fullTransactions;

        public CancellationTokenRegistration Registration { get; set; }
    }
}
