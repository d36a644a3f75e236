namespace Trellis.Ledger.Transactions;

/// <summary>The transaction envelopes Trellis accepts (see docs/transactions.md).</summary>
public enum TxType : byte
{
    /// <summary>An RLP list with v = 27/28 (pre-EIP-155) or chainId * 2 + 35/36 (EIP-155).</summary>
    Legacy = 0x00,

    /// <summary>EIP-2930: 0x01 || rlp([chainId, nonce, gasPrice, gasLimit, to, value, data, accessList, yParity, r, s]).</summary>
    AccessList = 0x01,

    /// <summary>EIP-1559: 0x02 || rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value, data, accessList, yParity, r, s]).</summary>
    DynamicFee = 0x02,

    /// <summary>Trellis's native envelope: 0x54 || rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value, data, accessList, signature]) with the suite's signature.</summary>
    Native = 0x54,
}
