using System.Buffers.Binary;
using System.Text;

namespace Trellis.Evm.SystemContracts;

/// <summary>Solidity's revert data for <c>revert("reason")</c>: the Error(string) selector and the ABI-encoded string.</summary>
public static class RevertReason
{
    /// <summary>The selector of Error(string): the first four bytes of Keccak-256("Error(string)").</summary>
    public static ReadOnlySpan<byte> ErrorSelector => [0x08, 0xc3, 0x79, 0xa0];

    /// <summary>Encodes <paramref name="reason"/> as Error(string) revert data, as solc does.</summary>
    public static byte[] EncodeError(string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        byte[] text = Encoding.UTF8.GetBytes(reason);
        int padded = (text.Length + 31) / 32 * 32;
        var data = new byte[4 + 32 + 32 + padded];
        ErrorSelector.CopyTo(data);
        data[4 + 31] = 0x20;
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(4 + 32 + 28), text.Length);
        text.CopyTo(data, 4 + 64);
        return data;
    }
}
