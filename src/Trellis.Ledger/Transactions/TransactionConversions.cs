using Trellis.Core;
using Trellis.Evm.Processing;
using EvmAccessListEntry = Trellis.Evm.Processing.AccessListEntry;

namespace Trellis.Ledger.Transactions;

/// <summary>Converts ledger transactions into what the EVM's <see cref="TransactionProcessor"/> executes.</summary>
public static class TransactionConversions
{
    /// <summary>
    /// The transaction as the EVM executes it, with the sender validation recovered. The native 0x54 envelope has
    /// EIP-1559 fee fields, so it executes as a type 2 transaction; the others keep their type.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The gas limit exceeds 2^63 - 1 (no block allows that much gas).</exception>
    public static EvmTransaction ToEvmTransaction(this Transaction transaction, Address sender)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (transaction.GasLimit > long.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(transaction), transaction.GasLimit, $"transaction gas limit {transaction.GasLimit} exceeds 2^63 - 1");
        }

        EvmAccessListEntry[] accessList = ConvertAccessList(transaction.AccessList);
        return transaction.Type switch
        {
            TxType.Legacy => new EvmTransaction(
                sender, transaction.To, transaction.Nonce, (long)transaction.GasLimit, transaction.Value, transaction.Data,
                transaction.GasPrice, null, null, accessList, [], null, EvmTransaction.LegacyType),
            TxType.AccessList => new EvmTransaction(
                sender, transaction.To, transaction.Nonce, (long)transaction.GasLimit, transaction.Value, transaction.Data,
                transaction.GasPrice, null, null, accessList, [], null, EvmTransaction.AccessListType),
            _ => new EvmTransaction(
                sender, transaction.To, transaction.Nonce, (long)transaction.GasLimit, transaction.Value, transaction.Data,
                transaction.MaxFeePerGas, transaction.MaxFeePerGas, transaction.MaxPriorityFeePerGas, accessList, [], null, EvmTransaction.DynamicFeeType),
        };
    }

    private static EvmAccessListEntry[] ConvertAccessList(IReadOnlyList<AccessListEntry> entries)
    {
        if (entries.Count == 0)
        {
            return [];
        }

        var converted = new EvmAccessListEntry[entries.Count];
        for (int i = 0; i < converted.Length; i++)
        {
            IReadOnlyList<Hash256> keys = entries[i].StorageKeys;
            var slots = new UInt256[keys.Count];
            for (int k = 0; k < slots.Length; k++)
            {
                slots[k] = UInt256.FromBigEndian(keys[k].Bytes);
            }

            converted[i] = new EvmAccessListEntry(entries[i].Address, slots);
        }

        return converted;
    }
}
