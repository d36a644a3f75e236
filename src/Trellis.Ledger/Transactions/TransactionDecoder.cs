using Trellis.Core;
using Trellis.Core.Rlp;

namespace Trellis.Ledger.Transactions;

/// <summary>
/// Decodes the accepted envelopes strictly (canonical RLP, exact item counts, exact field sizes). Structural only:
/// chain id, fees, intrinsic gas and the signature are checked by <see cref="TransactionValidator"/>. Never throws
/// for any input: every problem is a <see cref="TxValidation"/> naming the field.
/// </summary>
public static class TransactionDecoder
{
    /// <summary>Decodes one transaction spanning the whole of <paramref name="encoded"/>.</summary>
    public static TxValidation TryDecode(ReadOnlySpan<byte> encoded, out Transaction? transaction)
    {
        transaction = null;
        if (encoded.IsEmpty)
        {
            return TxValidation.Invalid(TxError.MalformedEncoding, "transaction is empty");
        }

        byte first = encoded[0];
        try
        {
            if (first >= 0xc0)
            {
                transaction = DecodeLegacy(encoded);
                return TxValidation.Valid;
            }

            if (first >= 0x80)
            {
                return TxValidation.Invalid(
                    TxError.MalformedEncoding,
                    $"transaction starts with 0x{first:x2}: neither an RLP list (legacy, 0xc0 and above) nor a type byte (below 0x80)");
            }

            switch (first)
            {
                case (byte)TxType.AccessList:
                case (byte)TxType.DynamicFee:
                case (byte)TxType.Native:
                    transaction = DecodeTyped((TxType)first, encoded);
                    return TxValidation.Valid;
                case 0x03:
                    return TxValidation.Invalid(
                        TxError.TypeNotSupported,
                        "blob transactions (type 0x03, EIP-4844) are not accepted: a Trellis chain carries no blobs");
                default:
                    return TxValidation.Invalid(
                        TxError.TypeNotSupported,
                        $"transaction type 0x{first:x2} is not supported (accepted: legacy, 0x01 EIP-2930, 0x02 EIP-1559, 0x54 native)");
            }
        }
        catch (DecodeFailure failure)
        {
            return TxValidation.Invalid(failure.Error, failure.Message);
        }
    }

    private static Transaction DecodeLegacy(ReadOnlySpan<byte> encoded)
    {
        var outer = new RlpReader(encoded);
        RlpReader list = ReadList(ref outer, "transaction");
        EnsureEnd(ref outer, "transaction");

        ulong nonce = ReadUInt64(ref list, "nonce");
        UInt256 gasPrice = ReadUInt256(ref list, "gasPrice");
        ulong gasLimit = ReadUInt64(ref list, "gasLimit");
        Address? to = ReadTo(ref list);
        UInt256 value = ReadUInt256(ref list, "value");
        byte[] data = ReadString(ref list, "data").ToArray();
        UInt256 v = ReadUInt256(ref list, "v");
        UInt256 r = ReadUInt256(ref list, "r");
        UInt256 s = ReadUInt256(ref list, "s");
        EnsureEnd(ref list, "legacy transaction list (9 items)");

        ulong? chainId;
        int recoveryId;
        if (v == 27 || v == 28)
        {
            chainId = null;
            recoveryId = (int)(v.U0 - 27);
        }
        else if (v >= 35)
        {
            UInt256 offset = v - 35;
            UInt256 derived = offset >> 1;
            if (!derived.FitsInUlong)
            {
                throw new DecodeFailure(TxError.InvalidChainId, $"v {v} implies chain id {derived}, which does not fit in 64 bits");
            }

            chainId = derived.U0;
            recoveryId = (int)(offset.U0 & 1);
        }
        else
        {
            throw new DecodeFailure(TxError.InvalidChainId, $"v {v} is neither 27/28 nor chainId * 2 + 35/36 (EIP-155)");
        }

        return new Transaction(TxType.Legacy, chainId, nonce, gasPrice, gasPrice, gasLimit, to, value, data, [], v, r, s,
            EthereumSignature(r, s, recoveryId), encoded.ToArray());
    }

    private static Transaction DecodeTyped(TxType type, ReadOnlySpan<byte> encoded)
    {
        string name = type switch
        {
            TxType.AccessList => "EIP-2930 transaction list (11 items)",
            TxType.DynamicFee => "EIP-1559 transaction list (12 items)",
            _ => "native transaction list (10 items)",
        };

        var outer = new RlpReader(encoded[1..]);
        RlpReader list = ReadList(ref outer, "transaction");
        EnsureEnd(ref outer, "transaction");

        ulong chainId = ReadChainId(ref list);
        ulong nonce = ReadUInt64(ref list, "nonce");
        UInt256 maxPriorityFee;
        UInt256 maxFee;
        if (type == TxType.AccessList)
        {
            maxFee = ReadUInt256(ref list, "gasPrice");
            maxPriorityFee = maxFee;
        }
        else
        {
            maxPriorityFee = ReadUInt256(ref list, "maxPriorityFeePerGas");
            maxFee = ReadUInt256(ref list, "maxFeePerGas");
        }

        ulong gasLimit = ReadUInt64(ref list, "gasLimit");
        Address? to = ReadTo(ref list);
        UInt256 value = ReadUInt256(ref list, "value");
        byte[] data = ReadString(ref list, "data").ToArray();
        AccessListEntry[] accessList = ReadAccessList(ref list);

        UInt256 v = UInt256.Zero;
        UInt256 r = UInt256.Zero;
        UInt256 s = UInt256.Zero;
        byte[] signature;
        if (type == TxType.Native)
        {
            signature = ReadString(ref list, "signature").ToArray();
        }
        else
        {
            v = ReadUInt256(ref list, "yParity");
            r = ReadUInt256(ref list, "r");
            s = ReadUInt256(ref list, "s");
            if (v > 1)
            {
                throw new DecodeFailure(TxError.InvalidSignature, $"yParity {v} is not 0 or 1");
            }

            signature = EthereumSignature(r, s, (int)v.U0);
        }

        EnsureEnd(ref list, name);
        return new Transaction(type, chainId, nonce, maxPriorityFee, maxFee, gasLimit, to, value, data, accessList, v, r, s,
            signature, encoded.ToArray());
    }

    private static byte[] EthereumSignature(in UInt256 r, in UInt256 s, int recoveryId)
    {
        var signature = new byte[65];
        r.WriteBigEndian(signature.AsSpan(0, 32));
        s.WriteBigEndian(signature.AsSpan(32, 32));
        signature[64] = (byte)recoveryId;
        return signature;
    }

    private static ulong ReadChainId(ref RlpReader list)
    {
        ReadOnlySpan<byte> bytes = ReadCanonicalInteger(ref list, "chainId", 32);
        if (bytes.Length > 8)
        {
            throw new DecodeFailure(TxError.InvalidChainId, $"chainId 0x{Convert.ToHexStringLower(bytes)} does not fit in 64 bits");
        }

        return ToUInt64(bytes);
    }

    private static Address? ReadTo(ref RlpReader list)
    {
        ReadOnlySpan<byte> bytes = ReadString(ref list, "to");
        if (bytes.IsEmpty)
        {
            return null;
        }

        if (bytes.Length != Address.Length)
        {
            throw new DecodeFailure(TxError.MalformedEncoding, $"to is {bytes.Length} bytes; an address is exactly 20 bytes (or empty for a contract creation)");
        }

        return new Address(bytes);
    }

    private static AccessListEntry[] ReadAccessList(ref RlpReader list)
    {
        RlpReader entries = ReadList(ref list, "accessList");
        var result = new List<AccessListEntry>();
        var keys = new List<Hash256>();
        while (entries.HasMore)
        {
            string where = $"accessList[{result.Count}]";
            RlpReader entry = ReadList(ref entries, where);
            ReadOnlySpan<byte> address = ReadString(ref entry, where + ".address");
            if (address.Length != Address.Length)
            {
                throw new DecodeFailure(TxError.MalformedEncoding, $"{where}.address is {address.Length} bytes; an address is exactly 20 bytes");
            }

            RlpReader storageKeys = ReadList(ref entry, where + ".storageKeys");
            keys.Clear();
            while (storageKeys.HasMore)
            {
                ReadOnlySpan<byte> key = ReadString(ref storageKeys, $"{where}.storageKeys[{keys.Count}]");
                if (key.Length != Hash256.Length)
                {
                    throw new DecodeFailure(TxError.MalformedEncoding, $"{where}.storageKeys[{keys.Count}] is {key.Length} bytes; a storage key is exactly 32 bytes");
                }

                keys.Add(new Hash256(key));
            }

            EnsureEnd(ref entry, where + " (2 items: address, storageKeys)");
            result.Add(new AccessListEntry(new Address(address), keys.ToArray()));
        }

        return [.. result];
    }

    private static ulong ReadUInt64(ref RlpReader list, string field)
    {
        ReadOnlySpan<byte> bytes = ReadCanonicalInteger(ref list, field, 32);
        if (bytes.Length > 8)
        {
            throw new DecodeFailure(TxError.MalformedEncoding, $"{field} 0x{Convert.ToHexStringLower(bytes)} does not fit in 64 bits");
        }

        return ToUInt64(bytes);
    }

    private static UInt256 ReadUInt256(ref RlpReader list, string field) =>
        UInt256.FromBigEndian(ReadCanonicalInteger(ref list, field, 32));

    private static ReadOnlySpan<byte> ReadCanonicalInteger(ref RlpReader list, string field, int maxLength)
    {
        ReadOnlySpan<byte> bytes = ReadString(ref list, field);
        if (bytes.Length > maxLength)
        {
            throw new DecodeFailure(TxError.MalformedEncoding, $"{field} is {bytes.Length} bytes long; at most {maxLength} (a {maxLength * 8}-bit integer)");
        }

        if (bytes.Length > 0 && bytes[0] == 0)
        {
            throw new DecodeFailure(TxError.MalformedEncoding, $"{field} 0x{Convert.ToHexStringLower(bytes)} has a leading zero byte (integers are minimal big-endian; zero is empty)");
        }

        return bytes;
    }

    private static ulong ToUInt64(ReadOnlySpan<byte> bytes)
    {
        ulong value = 0;
        foreach (byte b in bytes)
        {
            value = (value << 8) | b;
        }

        return value;
    }

    private static ReadOnlySpan<byte> ReadString(ref RlpReader list, string field)
    {
        if (!list.HasMore)
        {
            throw new DecodeFailure(TxError.MalformedEncoding, $"{field}: missing (the list has too few items)");
        }

        try
        {
            return list.ReadBytes();
        }
        catch (RlpException e)
        {
            throw new DecodeFailure(TxError.MalformedEncoding, $"{field}: {e.Message}");
        }
    }

    private static RlpReader ReadList(ref RlpReader reader, string field)
    {
        if (!reader.HasMore)
        {
            throw new DecodeFailure(TxError.MalformedEncoding, $"{field}: missing (the list has too few items)");
        }

        try
        {
            return reader.ReadList();
        }
        catch (RlpException e)
        {
            throw new DecodeFailure(TxError.MalformedEncoding, $"{field}: {e.Message}");
        }
    }

    private static void EnsureEnd(ref RlpReader reader, string what)
    {
        if (reader.HasMore)
        {
            throw new DecodeFailure(TxError.MalformedEncoding, $"{what}: unexpected bytes after the last item (too many items or trailing data)");
        }
    }

    // Carries a rejection out of the nested readers; caught in TryDecode and never escapes.
#pragma warning disable CA1064 // Private by design: the public API reports TxValidation, never this exception.
    private sealed class DecodeFailure(TxError error, string message) : Exception(message)
#pragma warning restore CA1064
    {
        public TxError Error { get; } = error;
    }
}
