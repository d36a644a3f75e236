using System.Buffers.Binary;
using Trellis.Core;
using Trellis.Crypto;

namespace Trellis.Evm;

/// <summary>
/// Addresses of new contracts (yellow paper section 7, EIP-1014). They use the chain's suite hash: Keccak-256 in
/// the standard suite, as Ethereum does, and SM3 in the national suite.
/// </summary>
public static class ContractAddresses
{
    /// <summary>CREATE: the last 20 bytes of Hash(RLP([sender, nonce])).</summary>
    public static Address FromNonce(ICryptoSuite suite, in Address sender, ulong nonce)
    {
        ArgumentNullException.ThrowIfNull(suite);
        Span<byte> rlp = stackalloc byte[1 + 1 + Address.Length + 1 + sizeof(ulong)];
        int length = 1;
        rlp[length++] = 0x80 + Address.Length;
        sender.Bytes.CopyTo(rlp[length..]);
        length += Address.Length;
        if (nonce == 0)
        {
            rlp[length++] = 0x80;
        }
        else if (nonce < 0x80)
        {
            rlp[length++] = (byte)nonce;
        }
        else
        {
            int nonceBytes = 8 - (System.Numerics.BitOperations.LeadingZeroCount(nonce) / 8);
            rlp[length++] = (byte)(0x80 + nonceBytes);
            Span<byte> big = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(big, nonce);
            big[(8 - nonceBytes)..].CopyTo(rlp[length..]);
            length += nonceBytes;
        }

        rlp[0] = (byte)(0xc0 + length - 1);
        return Address.FromHash(suite.Hash(rlp[..length]));
    }

    /// <summary>CREATE2 (EIP-1014): the last 20 bytes of Hash(0xff ++ sender ++ salt ++ Hash(initCode)).</summary>
    public static Address FromSalt(ICryptoSuite suite, in Address sender, in UInt256 salt, ReadOnlySpan<byte> initCode)
    {
        ArgumentNullException.ThrowIfNull(suite);
        Span<byte> preimage = stackalloc byte[1 + Address.Length + 32 + 32];
        preimage[0] = 0xff;
        sender.Bytes.CopyTo(preimage[1..]);
        salt.WriteBigEndian(preimage.Slice(1 + Address.Length, 32));
        suite.Hash(initCode, preimage[(1 + Address.Length + 32)..]);
        return Address.FromHash(suite.Hash(preimage));
    }
}
