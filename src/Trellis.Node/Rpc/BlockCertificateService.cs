using System.Text.Json;
using Trellis.Consensus;
using Trellis.Ledger.Blocks;
using Trellis.Ledger.Storage;
using Trellis.Node.JsonRpc;

namespace Trellis.Node.Rpc;

/// <summary>
/// The <c>trellis_getBlockCertificate</c> method: who certified a committed block. Takes a block number or tag
/// (<c>latest</c>, <c>earliest</c>…) and returns <c>{"height","engine","round","signers":[addresses]}</c>, or null
/// when the block does not exist or carries no certificate (genesis, a solo chain).
/// </summary>
public sealed class BlockCertificateService
{
    private readonly BlockStore _blocks;
    private readonly IConsensusEngine _engine;

    /// <summary>Creates the service over the node's block store and engine.</summary>
    public BlockCertificateService(BlockStore blocks, IConsensusEngine engine)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        ArgumentNullException.ThrowIfNull(engine);
        _blocks = blocks;
        _engine = engine;
    }

    /// <summary>Adds <c>trellis_getBlockCertificate</c> to <paramref name="registry"/>.</summary>
    public void Register(JsonRpcMethodRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Add("trellis_getBlockCertificate", (_, p, w) =>
        {
            p.RequireCount(1, 1);
            CommitCertificateInfo? info = Describe(p.GetBlockParameter(0, allowHash: false));
            if (info is null)
            {
                w.WriteNullValue();
                return;
            }

            Write(w, info);
        });
    }

    /// <summary>Writes <paramref name="info"/> as the method's result object.</summary>
    public static void Write(Utf8JsonWriter writer, CommitCertificateInfo info)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(info);
        writer.WriteStartObject();
        writer.WritePropertyName("height"u8);
        EthJsonWriter.WriteQuantity(writer, info.Height);
        writer.WriteString("engine"u8, info.Engine);
        writer.WritePropertyName("round"u8);
        EthJsonWriter.WriteQuantity(writer, (ulong)Math.Max(0, info.Round));
        writer.WriteStartArray("signers"u8);
        foreach (var signer in info.Signers)
        {
            writer.WriteStringValue(signer.ToLowerHex());
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private CommitCertificateInfo? Describe(BlockParameter parameter)
    {
        if (_engine is not INetworkedConsensusEngine networked)
        {
            return null;
        }

        ulong head = _blocks.Head?.Height ?? 0;
        ulong height = parameter.Tag switch
        {
            BlockTag.Number => parameter.Number,
            BlockTag.Earliest => 0,
            _ => head,
        };
        if (height == 0 || height > head)
        {
            return null;
        }

        Block? block = _blocks.GetBlock(height);
        return block is null || block.Header.ConsensusCertificate.IsEmpty ? null : networked.DescribeCommitCertificate(block);
    }
}
