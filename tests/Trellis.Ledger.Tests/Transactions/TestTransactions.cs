using Trellis.Core;
using Trellis.Core.Rlp;
using Trellis.Ledger.Transactions;

namespace Trellis.Ledger.Tests.Transactions;

/// <summary>Builds native envelopes with arbitrary signature bytes, encoding the documented format independently.</summary>
internal static class TestTransactions
{
    public static byte[] WithSignature(TransactionBuilder fields, byte[] signature)
    {
        var keys = new List<RlpItem>();
        var accessList = new List<RlpItem>();
        foreach (AccessListEntry entry in fields.AccessList)
        {
            keys.Clear();
            foreach (Hash256 key in entry.StorageKeys)
            {
                keys.Add(new RlpString(key.Bytes));
            }

            accessList.Add(new RlpList(new RlpString(entry.Address.Bytes), new RlpList(keys)));
        }

        var list = new RlpList(
            Integer(fields.ChainId ?? 0),
            Integer(fields.Nonce),
            Integer(fields.MaxPriorityFeePerGas),
            Integer(fields.MaxFeePerGas),
            Integer(fields.GasLimit),
            new RlpString(fields.To is Address to ? to.Bytes : []),
            Integer(fields.Value),
            new RlpString(fields.Data.Span),
            new RlpList(accessList),
            new RlpString(signature));
        return [0x54, .. list.Encode()];
    }

    private static RlpString Integer(UInt256 value) => new(value.ToBigEndianTrimmed());
}
