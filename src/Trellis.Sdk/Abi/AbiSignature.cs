using System.Text;
using Trellis.Core;

namespace Trellis.Sdk.Abi;

/// <summary>Canonical signatures, selectors and topics (Keccak-256 in both suites: the EVM's hash, not the ledger's).</summary>
public static class AbiSignature
{
    /// <summary>The canonical signature <c>name(type1,type2)</c> with canonical type names and no spaces.</summary>
    public static string Format(string name, IReadOnlyList<AbiParameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(parameters);
        var builder = new StringBuilder(name).Append('(');
        for (int i = 0; i < parameters.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            builder.Append(parameters[i].Type.CanonicalName);
        }

        return builder.Append(')').ToString();
    }

    /// <summary>The 4-byte selector: the first four bytes of Keccak-256 of the canonical signature.</summary>
    public static byte[] Selector(string signature) => Hash(signature).Bytes[..4].ToArray();

    /// <summary>The Keccak-256 hash of the canonical signature (an event's topic 0).</summary>
    public static Hash256 Hash(string signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        return Keccak256.Hash(Encoding.ASCII.GetBytes(signature));
    }
}
