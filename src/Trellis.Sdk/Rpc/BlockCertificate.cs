using System.Text.Json;
using Trellis.Core;

namespace Trellis.Sdk.Rpc;

/// <summary>Who certified a committed block, as <c>trellis_getBlockCertificate</c> reports it.</summary>
public sealed class BlockCertificate
{
    /// <summary>The block number.</summary>
    public required ulong Number { get; init; }

    /// <summary>The consensus engine that made the certificate ("hotstuff", "raft").</summary>
    public required string Engine { get; init; }

    /// <summary>The HotStuff view or Raft term in which the block was certified.</summary>
    public required ulong Round { get; init; }

    /// <summary>The signing addresses of the validators whose signatures the certificate holds.</summary>
    public required IReadOnlyList<Address> Signers { get; init; }

    internal static BlockCertificate FromJson(JsonElement result)
    {
        JsonElement signers = RpcJson.Property(result, "signers");
        if (signers.ValueKind != JsonValueKind.Array)
        {
            throw RpcJson.Malformed("signers", signers, "is not an array of addresses");
        }

        var addresses = new List<Address>(signers.GetArrayLength());
        foreach (JsonElement signer in signers.EnumerateArray())
        {
            addresses.Add(RpcJson.ReadAddress(signer, "signers[]"));
        }

        return new BlockCertificate
        {
            Number = RpcJson.ReadULong(RpcJson.Property(result, "height"), "height"),
            Engine = RpcJson.ReadString(RpcJson.Property(result, "engine"), "engine"),
            Round = RpcJson.ReadULong(RpcJson.Property(result, "round"), "round"),
            Signers = addresses,
        };
    }
}
