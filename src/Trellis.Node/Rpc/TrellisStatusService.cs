using System.Text.Json;
using Trellis.Node.JsonRpc;

namespace Trellis.Node.Rpc;

/// <summary>
/// The <c>trellis_status</c> method: the node's name, head height, role, peer count, consensus engine, chain id and
/// whether it is syncing, as one object (quantities as hex, like the eth_ methods).
/// </summary>
public sealed class TrellisStatusService
{
    private readonly Func<NodeStatus> _status;

    /// <summary>Creates the service; <paramref name="status"/> is asked on every call.</summary>
    public TrellisStatusService(Func<NodeStatus> status)
    {
        ArgumentNullException.ThrowIfNull(status);
        _status = status;
    }

    /// <summary>Adds <c>trellis_status</c> to <paramref name="registry"/>.</summary>
    public void Register(JsonRpcMethodRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Add("trellis_status", (_, p, w) =>
        {
            p.RequireCount(0, 0);
            Write(w, _status());
        });
    }

    /// <summary>Writes <paramref name="status"/> as the method's result object.</summary>
    public static void Write(Utf8JsonWriter writer, NodeStatus status)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(status);
        writer.WriteStartObject();
        writer.WriteString("node"u8, status.Node);
        writer.WritePropertyName("height"u8);
        EthJsonWriter.WriteQuantity(writer, status.Height);
        writer.WriteString("role"u8, status.Role);
        writer.WriteNumber("peers"u8, status.Peers);
        writer.WriteString("consensus"u8, status.Consensus);
        writer.WritePropertyName("chainId"u8);
        EthJsonWriter.WriteQuantity(writer, status.ChainId);
        writer.WriteBoolean("syncing"u8, status.Syncing);
        writer.WriteEndObject();
    }
}
