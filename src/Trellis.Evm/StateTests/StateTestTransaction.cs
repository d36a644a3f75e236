using Trellis.Core;
using Trellis.Evm.Processing;

namespace Trellis.Evm.StateTests;

/// <summary>
/// The <c>transaction</c> section of a state test: shared fields plus the lists that <c>indexes</c> pick from.
/// The indexed entries are kept as text and parsed per case, so one bad entry fails only the cases that use it.
/// </summary>
/// <param name="Sender">The signer: derived from <c>secretKey</c> (secp256k1, Keccak-256 address), else <c>sender</c>.</param>
/// <param name="To">The recipient, or null for a creation (<c>"to": ""</c>).</param>
/// <param name="Nonce"><c>nonce</c>.</param>
/// <param name="Data"><c>data</c> entries (hex).</param>
/// <param name="GasLimits"><c>gasLimit</c> entries (hex quantities).</param>
/// <param name="Values"><c>value</c> entries (hex quantities, possibly <c>0x:bigint 0x...</c> beyond 256 bits).</param>
/// <param name="GasPrice"><c>gasPrice</c> (legacy and EIP-2930), or null.</param>
/// <param name="MaxFeePerGas"><c>maxFeePerGas</c> (EIP-1559), or null.</param>
/// <param name="MaxPriorityFeePerGas"><c>maxPriorityFeePerGas</c> (EIP-1559), or null.</param>
/// <param name="AccessLists"><c>accessLists</c>, indexed like <paramref name="Data"/>; an entry may be null (no list).</param>
/// <param name="BlobVersionedHashes"><c>blobVersionedHashes</c> (EIP-4844), or null.</param>
/// <param name="MaxFeePerBlobGas"><c>maxFeePerBlobGas</c> (EIP-4844), or null.</param>
public sealed record StateTestTransaction(
    Address Sender,
    Address? To,
    ulong Nonce,
    IReadOnlyList<string> Data,
    IReadOnlyList<string> GasLimits,
    IReadOnlyList<string> Values,
    UInt256? GasPrice,
    UInt256? MaxFeePerGas,
    UInt256? MaxPriorityFeePerGas,
    IReadOnlyList<IReadOnlyList<AccessListEntry>?>? AccessLists,
    IReadOnlyList<Hash256>? BlobVersionedHashes,
    UInt256? MaxFeePerBlobGas)
{
    /// <summary>
    /// Builds the transaction variant a case names. Returns false with the reason when an index is out of range or
    /// an entry cannot be a valid transaction field (for example a value beyond 256 bits, which a client could not
    /// even decode: such a transaction is invalid).
    /// </summary>
    public bool TryBuild(int dataIndex, int gasIndex, int valueIndex, out EvmTransaction? transaction, out string? error)
    {
        transaction = null;
        if (!InRange(Data, dataIndex, "data", out error) || !InRange(GasLimits, gasIndex, "gasLimit", out error) || !InRange(Values, valueIndex, "value", out error))
        {
            return false;
        }

        if (!StateTestHex.TryParseBytes(Data[dataIndex], out byte[] data, out error) ||
            !StateTestHex.TryParseLong(GasLimits[gasIndex], out long gasLimit, out error) ||
            !StateTestHex.TryParseUInt256(Values[valueIndex], out UInt256 value, out error))
        {
            error = $"transaction [d={dataIndex} g={gasIndex} v={valueIndex}] is invalid: {error}";
            return false;
        }

        IReadOnlyList<AccessListEntry>? accessList = null;
        if (AccessLists is not null && AccessLists.Count > 0)
        {
            if (dataIndex >= AccessLists.Count)
            {
                error = $"accessLists has {AccessLists.Count} entries; data index {dataIndex} has none";
                return false;
            }

            accessList = AccessLists[dataIndex];
        }

        byte type;
        if (BlobVersionedHashes is not null)
        {
            type = EvmTransaction.BlobType;
        }
        else if (MaxFeePerGas is not null)
        {
            type = EvmTransaction.DynamicFeeType;
        }
        else if (accessList is not null)
        {
            type = EvmTransaction.AccessListType;
        }
        else
        {
            type = EvmTransaction.LegacyType;
        }

        if (type < EvmTransaction.DynamicFeeType && GasPrice is null)
        {
            error = "the transaction has neither gasPrice nor maxFeePerGas";
            return false;
        }

        if (type >= EvmTransaction.DynamicFeeType && MaxPriorityFeePerGas is null)
        {
            error = "maxFeePerGas is given without maxPriorityFeePerGas";
            return false;
        }

        transaction = new EvmTransaction(
            Sender,
            To,
            Nonce,
            gasLimit,
            value,
            data,
            GasPrice ?? MaxFeePerGas!.Value,
            type >= EvmTransaction.DynamicFeeType ? MaxFeePerGas : null,
            type >= EvmTransaction.DynamicFeeType ? MaxPriorityFeePerGas : null,
            accessList ?? [],
            BlobVersionedHashes ?? [],
            MaxFeePerBlobGas,
            type);
        error = null;
        return true;
    }

    private static bool InRange(IReadOnlyList<string> list, int index, string name, out string? error)
    {
        if (index < 0 || index >= list.Count)
        {
            error = $"index {index} is outside transaction.{name} (which has {list.Count} entries)";
            return false;
        }

        error = null;
        return true;
    }
}
