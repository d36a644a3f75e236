using Trellis.Core;
using Trellis.Core.Rlp;
using Trellis.Crypto;

namespace Trellis.Ledger.Transactions;

/// <summary>
/// A signed transaction in one of the accepted envelopes (<see cref="TxType"/>). Immutable. Obtained by decoding
/// (<see cref="TransactionDecoder.TryDecode"/>, structural checks only) or by signing a
/// <see cref="TransactionBuilder"/>; <see cref="TransactionValidator"/> checks the chain rules and finds the sender.
/// </summary>
/// <remarks>
/// The fields are exactly what the EVM's transaction processor needs (sender from the validator, gas limit, fee
/// caps, to, value, data, access list), so a later <c>ToEvmTransaction(sender)</c> is a field-by-field copy.
/// </remarks>
public sealed class Transaction
{
    private readonly byte[] _data;
    private readonly AccessListEntry[] _accessList;
    private readonly byte[] _signature;
    private byte[]? _encoded;

    internal Transaction(
        TxType type,
        ulong? chainId,
        ulong nonce,
        in UInt256 maxPriorityFeePerGas,
        in UInt256 maxFeePerGas,
        ulong gasLimit,
        Address? to,
        in UInt256 value,
        byte[] data,
        AccessListEntry[] accessList,
        in UInt256 v,
        in UInt256 r,
        in UInt256 s,
        byte[] signature,
        byte[]? encoded)
    {
        Type = type;
        ChainId = chainId;
        Nonce = nonce;
        MaxPriorityFeePerGas = maxPriorityFeePerGas;
        MaxFeePerGas = maxFeePerGas;
        GasLimit = gasLimit;
        To = to;
        Value = value;
        _data = data;
        _accessList = accessList;
        V = v;
        R = r;
        S = s;
        _signature = signature;
        _encoded = encoded;
    }

    /// <summary>The envelope.</summary>
    public TxType Type { get; }

    /// <summary>The chain the signature commits to; null only for a pre-EIP-155 legacy transaction.</summary>
    public ulong? ChainId { get; }

    /// <summary>The sender's nonce.</summary>
    public ulong Nonce { get; }

    /// <summary>The gas price of a legacy or EIP-2930 transaction; the fee cap (maxFeePerGas) otherwise.</summary>
    public UInt256 GasPrice => MaxFeePerGas;

    /// <summary>The priority fee cap (EIP-1559); the gas price for legacy and EIP-2930 transactions.</summary>
    public UInt256 MaxPriorityFeePerGas { get; }

    /// <summary>The fee cap (EIP-1559); the gas price for legacy and EIP-2930 transactions.</summary>
    public UInt256 MaxFeePerGas { get; }

    /// <summary>The gas limit.</summary>
    public ulong GasLimit { get; }

    /// <summary>The recipient; null for a contract creation.</summary>
    public Address? To { get; }

    /// <summary>True when <see cref="To"/> is null.</summary>
    public bool IsContractCreation => To is null;

    /// <summary>The value transferred, in wei.</summary>
    public UInt256 Value { get; }

    /// <summary>Call data, or init code for a creation.</summary>
    public ReadOnlyMemory<byte> Data => _data;

    /// <summary>The EIP-2930 access list (empty for legacy).</summary>
    public IReadOnlyList<AccessListEntry> AccessList => _accessList;

    /// <summary>Legacy: v as encoded (27/28 or chainId * 2 + 35/36); typed: yParity; native: zero.</summary>
    public UInt256 V { get; }

    /// <summary>The ECDSA r of an Ethereum envelope; zero for the native envelope.</summary>
    public UInt256 R { get; }

    /// <summary>The ECDSA s of an Ethereum envelope; zero for the native envelope.</summary>
    public UInt256 S { get; }

    /// <summary>
    /// The signature in the suite's format: r || s || recovery id (65 bytes) for Ethereum envelopes, or the native
    /// envelope's signature field as carried.
    /// </summary>
    public ReadOnlySpan<byte> Signature => _signature;

    /// <summary>The full encoding (type byte included for typed envelopes).</summary>
    public ReadOnlySpan<byte> Encoded => _encoded ??= EncodeFull();

    /// <summary>Bytes in the full encoding.</summary>
    public int Length => Encoded.Length;

    /// <summary>The fee per gas the pool orders by: min(maxPriorityFeePerGas, maxFeePerGas) (Trellis has no base fee).</summary>
    public UInt256 PoolFeePerGas => MaxPriorityFeePerGas < MaxFeePerGas ? MaxPriorityFeePerGas : MaxFeePerGas;

    /// <summary>A copy of the full encoding.</summary>
    public byte[] Encode() => Encoded.ToArray();

    /// <summary>The transaction hash: the suite hash of the full encoding (Keccak-256 in the standard suite, as Ethereum).</summary>
    public Hash256 ComputeHash(ICryptoSuite suite)
    {
        ArgumentNullException.ThrowIfNull(suite);
        return suite.Hash(Encoded);
    }

    /// <summary>
    /// The bytes the signature signs: legacy rlp([nonce, gasPrice, gas, to, value, data]) plus [chainId, 0, 0] under
    /// EIP-155; typed and native: type || rlp(fields without the signature).
    /// </summary>
    public byte[] GetSigningPayload()
    {
        var writer = new RlpWriter(_data.Length + 128);
        if (Type != TxType.Legacy)
        {
            writer.WriteEncoded([(byte)Type]);
        }

        int list = writer.StartList();
        WriteFields(writer);
        if (Type == TxType.Legacy && ChainId is ulong chainId)
        {
            writer.WriteULong(chainId);
            writer.WriteULong(0);
            writer.WriteULong(0);
        }

        writer.EndList(list);
        return writer.ToArray();
    }

    private byte[] EncodeFull()
    {
        var writer = new RlpWriter(_data.Length + _signature.Length + 160);
        if (Type != TxType.Legacy)
        {
            writer.WriteEncoded([(byte)Type]);
        }

        int list = writer.StartList();
        WriteFields(writer);
        if (Type == TxType.Native)
        {
            writer.WriteBytes(_signature);
        }
        else
        {
            WriteUInt256(writer, V);
            WriteUInt256(writer, R);
            WriteUInt256(writer, S);
        }

        writer.EndList(list);
        return writer.ToArray();
    }

    // The fields every envelope signs, in the envelope's order (without the legacy EIP-155 suffix).
    private void WriteFields(RlpWriter writer)
    {
        if (Type != TxType.Legacy)
        {
            writer.WriteULong(ChainId ?? 0);
        }

        writer.WriteULong(Nonce);
        if (Type is TxType.DynamicFee or TxType.Native)
        {
            WriteUInt256(writer, MaxPriorityFeePerGas);
        }

        WriteUInt256(writer, MaxFeePerGas);
        writer.WriteULong(GasLimit);
        if (To is Address to)
        {
            writer.WriteBytes(to.Bytes);
        }
        else
        {
            writer.WriteBytes([]);
        }

        WriteUInt256(writer, Value);
        writer.WriteBytes(_data);
        if (Type != TxType.Legacy)
        {
            int list = writer.StartList();
            foreach (AccessListEntry entry in _accessList)
            {
                int item = writer.StartList();
                writer.WriteBytes(entry.Address.Bytes);
                int keys = writer.StartList();
                foreach (Hash256 key in entry.StorageKeys)
                {
                    writer.WriteBytes(key.Bytes);
                }

                writer.EndList(keys);
                writer.EndList(item);
            }

            writer.EndList(list);
        }
    }

    internal static void WriteUInt256(RlpWriter writer, in UInt256 value)
    {
        Span<byte> bytes = stackalloc byte[32];
        value.WriteBigEndian(bytes);
        writer.WriteIntegerBytes(bytes);
    }
}
