using System.Text.Json;
using Microsoft.Extensions.Logging;
using Trellis.Core;
using Trellis.Node.JsonRpc;

namespace Trellis.Node.Rpc;

/// <summary>
/// The <c>admin_</c> methods: <c>admin_nodeInfo</c>, <c>admin_peers</c>, <c>admin_addPeer</c>, <c>admin_removePeer</c>
/// and <c>admin_setLogLevel</c>. Whether a caller may use them is decided by the server's <see cref="AdminAccess"/>
/// before these handlers run; the handlers only do the work.
/// </summary>
public sealed class AdminRpcService
{
    private readonly IAdminOperations _operations;

    /// <summary>Creates the service over <paramref name="operations"/>.</summary>
    public AdminRpcService(IAdminOperations operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        _operations = operations;
    }

    /// <summary>The methods this service adds.</summary>
    public static IReadOnlyList<string> MethodNames { get; } = ["admin_addPeer", "admin_nodeInfo", "admin_peers", "admin_removePeer", "admin_setLogLevel"];

    /// <summary>Adds the admin methods to <paramref name="registry"/>.</summary>
    public void Register(JsonRpcMethodRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Add("admin_nodeInfo", (_, p, w) =>
        {
            p.RequireCount(0, 0);
            WriteNodeInfo(w, _operations.GetNodeInfo());
        });
        registry.Add("admin_peers", (_, p, w) =>
        {
            p.RequireCount(0, 0);
            w.WriteStartArray();
            foreach (AdminPeerInfo peer in _operations.GetPeers())
            {
                WritePeer(w, peer);
            }

            w.WriteEndArray();
        });
        registry.Add("admin_addPeer", AddPeerAsync);
        registry.Add("admin_removePeer", (_, p, w) =>
        {
            p.RequireCount(1, 1);
            Address address = p.GetAddress(0);
            w.WriteBooleanValue(Run(() => _operations.RemovePeer(address)));
        });
        registry.Add("admin_setLogLevel", (_, p, w) =>
        {
            p.RequireCount(1, 1);
            string text = p.GetString(0);
            if (!LogLevelSwitch.TryParse(text, out LogLevel level))
            {
                throw JsonRpcException.InvalidParams($"params[0]: log level \"{(text.Length <= 40 ? text : text[..40] + "...")}\" is not one of {string.Join(", ", LogLevelSwitch.LevelNames)}");
            }

            LogLevel previous = _operations.SetLogLevel(level);
            w.WriteStartObject();
            w.WriteString("previous"u8, LogLevelSwitch.NameOf(previous));
            w.WriteString("current"u8, LogLevelSwitch.NameOf(level));
            w.WriteEndObject();
        });
    }

    /// <summary>Writes <paramref name="info"/> as <c>admin_nodeInfo</c>'s result.</summary>
    public static void WriteNodeInfo(Utf8JsonWriter writer, AdminNodeInfo info)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(info);
        writer.WriteStartObject();
        writer.WriteString("name"u8, info.Name);
        writer.WriteString("organisation"u8, info.Organisation);
        writer.WriteString("role"u8, info.Role);
        writer.WritePropertyName("signingAddress"u8);
        EthJsonWriter.WriteAddress(writer, info.SigningAddress);
        WriteOptionalString(writer, "p2p"u8, info.P2pEndpoint);
        WriteOptionalString(writer, "enode"u8, info.Enode);
        writer.WritePropertyName("tlsFingerprint"u8);
        if (info.TlsFingerprint is { } fingerprint)
        {
            EthJsonWriter.WriteHash(writer, fingerprint);
        }
        else
        {
            writer.WriteNullValue();
        }

        writer.WritePropertyName("chainId"u8);
        EthJsonWriter.WriteQuantity(writer, info.ChainId);
        writer.WriteString("consensus"u8, info.Consensus);
        writer.WriteString("version"u8, info.Version);
        writer.WriteEndObject();
    }

    /// <summary>Writes one peer as an element of <c>admin_peers</c>' result.</summary>
    public static void WritePeer(Utf8JsonWriter writer, AdminPeerInfo peer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(peer);
        writer.WriteStartObject();
        writer.WriteString("name"u8, peer.Name);
        writer.WriteString("organisation"u8, peer.Organisation);
        writer.WriteString("role"u8, peer.Role);
        writer.WritePropertyName("signingAddress"u8);
        EthJsonWriter.WriteAddress(writer, peer.SigningAddress);
        WriteOptionalString(writer, "remoteEndpoint"u8, peer.RemoteEndpoint);
        writer.WriteString("direction"u8, peer.Direction);
        writer.WritePropertyName("tlsFingerprint"u8);
        EthJsonWriter.WriteHash(writer, peer.TlsFingerprint);
        writer.WriteEndObject();
    }

    private async ValueTask AddPeerAsync(JsonRpcCallContext context, JsonRpcParams p, Utf8JsonWriter w)
    {
        p.RequireCount(1, 1);
        string text = p.GetString(0);
        AdminPeerTarget target;
        try
        {
            target = AdminPeerTarget.Parse(text);
        }
        catch (FormatException e)
        {
            throw JsonRpcException.InvalidParams("params[0]: " + e.Message);
        }

        AdminPeerInfo peer;
        try
        {
            peer = await _operations.AddPeerAsync(target, context.CancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            throw new JsonRpcException(JsonRpcErrorCodes.InvalidInput, e.Message);
        }

        WritePeer(w, peer);
    }

    private static T Run<T>(Func<T> operation)
    {
        try
        {
            return operation();
        }
        catch (InvalidOperationException e)
        {
            throw new JsonRpcException(JsonRpcErrorCodes.InvalidInput, e.Message);
        }
    }

    private static void WriteOptionalString(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
